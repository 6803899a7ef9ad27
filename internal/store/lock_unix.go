//go:build unix

package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"syscall"
)

// fileLocker holds an exclusive lock on a file beside the SQLite file while
// the schema migrates: a second worker starting at the same moment waits,
// then finds the schema current.
type fileLocker struct {
	path string
	file *os.File
}

func (l *fileLocker) Lock(ctx context.Context, _ *sql.DB) error {
	file, err := os.OpenFile(l.path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("the migration lock %s: %w", l.path, err)
	}
	locked := make(chan error, 1)
	go func() { locked <- syscall.Flock(int(file.Fd()), syscall.LOCK_EX) }()
	select {
	case err = <-locked:
	case <-ctx.Done():
		_ = file.Close() // releases the lock should Flock still take it
		return ctx.Err()
	}
	if err != nil {
		_ = file.Close()
		return fmt.Errorf("the migration lock %s: %w", l.path, err)
	}
	l.file = file
	return nil
}

func (l *fileLocker) Unlock(context.Context, *sql.DB) error {
	if l.file == nil {
		return nil
	}
	err := l.file.Close() // closing the file releases its lock
	l.file = nil
	return err
}
