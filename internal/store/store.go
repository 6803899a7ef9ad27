// Package store is scoreflow's own history: each tenant's Secure Score by day
// (Graph keeps 90 days), each control's changes with Graph's record of who
// set its state, and every step of every recommendation's audit trail
// (Temporal forgets closed workflows after its retention). The sweep and the
// workflows write it as a read model; the starter and the dashboard read it.
//
// One schema (migrations/, embedded and applied at start) serves two
// backends through database/sql: SQLite, pure Go, in a file beside
// Temporal's (the default), and PostgreSQL for production.
package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// DB is the store on SQLite or PostgreSQL, and the one way to it: every
// read and write is a method here, and each opens the store first. New
// names a store without opening it; the worker's store then opens, and
// migrates, at the first use that finds the database up, so a PostgreSQL
// server that is down when the worker starts, or goes down later, fails the
// writes of that moment, which their activities retry, and holds up
// nothing else. Open opens it at once.
type DB struct {
	dsn, defaultFile string
	migrates         bool // apply the embedded migrations when opening
	// where names the store for messages: the file, or PostgreSQL's host
	// and database, never a password.
	where string

	mu sync.Mutex
	// connection is set, once, by the first open that succeeds; the
	// methods read its fields through the embedding after open returns.
	*connection
}

// connection is an opened store.
type connection struct {
	db      *sql.DB
	backend backend
	// writes is the pool that writes: the same as db on PostgreSQL, one
	// connection on SQLite.
	writes *sql.DB
	// prepared are the writer's statements, prepared on SQLite (statements.go).
	prepared *preparedStatements
	steps    *stepWriter
}

// Where names the store: the SQLite file, or PostgreSQL's host and database.
func (s *DB) Where() string { return s.where }

// Ping reports whether the store answers now, for the worker's readiness.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.open(ctx); err != nil {
		return err
	}
	return s.db.PingContext(ctx)
}

// openTimeout bounds how long a use waits for the store to open.
const openTimeout = 10 * time.Second

// open opens the store at a use, if it is not open yet, waiting at most
// openTimeout for the database.
func (s *DB) open(ctx context.Context) error { return s.openWithin(ctx, openTimeout) }

// openWithin opens the store if it is not open yet; a limit of 0 waits as
// long as ctx does.
func (s *DB) openWithin(ctx context.Context, limit time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.connection != nil {
		return nil
	}
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	return s.connect(ctx)
}

// Connect opens the store now, if it is not open yet: the worker's start
// reports whether the store answers.
func (s *DB) Connect(ctx context.Context) error { return s.open(ctx) }

// Close closes the store's connections, if it was opened.
func (s *DB) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.connection == nil {
		return nil
	}
	s.steps.close()
	return s.connection.close()
}

func (c *connection) close() error {
	if c.prepared != nil {
		_ = c.prepared.close()
	}
	if c.writes != c.db {
		_ = c.writes.Close()
	}
	return c.db.Close()
}

// Refused reports whether opening the store failed for good, not for the
// moment: a database that is not scoreflow's, is corrupt, or is newer.
func Refused(err error) bool { return err != nil && !errors.Is(err, ErrUnreachable) }
