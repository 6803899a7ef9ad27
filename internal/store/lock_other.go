//go:build !unix

package store

import (
	"context"
	"database/sql"
)

// fileLocker takes no lock where flock does not exist: there a SQLite store
// must be migrated by one worker at a time (a second, started at the same
// moment, fails and succeeds on its restart).
type fileLocker struct{ path string }

func (*fileLocker) Lock(context.Context, *sql.DB) error   { return nil }
func (*fileLocker) Unlock(context.Context, *sql.DB) error { return nil }
