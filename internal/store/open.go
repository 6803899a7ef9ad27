package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL through database/sql: the "pgx" driver
	_ "modernc.org/sqlite"             // SQLite, pure Go: the "sqlite" driver
)

// backend is one of the two databases the store runs on.
type backend string

const (
	sqliteBackend   backend = "sqlite"
	postgresBackend backend = "postgres"
)

// IsPostgres reports whether a DSN names PostgreSQL (store.dsn); anything
// else is a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// New names the store that dsn names without opening it: PostgreSQL for a
// postgres:// URL, else the SQLite file at dsn, or at defaultFile when dsn
// is empty. Its first use opens it and applies the embedded migrations
// under a lock, so two workers starting together do not race; it refuses a
// database that is not scoreflow's, is corrupt, or has a newer schema than
// this binary knows. Errors name the database, never its password.
func New(dsn, defaultFile string) *DB {
	return &DB{dsn: dsn, defaultFile: defaultFile, migrates: true, where: describe(dsn, defaultFile)}
}

// Open is New, opened now, waiting as long as ctx does (a migration may
// wait for another process's).
func Open(ctx context.Context, dsn, defaultFile string) (*DB, error) {
	return openNow(ctx, New(dsn, defaultFile))
}

// OpenCurrent opens a store whose schema is this binary's, without
// migrating it: the starter must not change a schema under a running
// worker of another release.
func OpenCurrent(ctx context.Context, dsn, defaultFile string) (*DB, error) {
	if file := cmp.Or(dsn, defaultFile); !IsPostgres(dsn) {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store %s: %w: the worker creates it when it starts", file, ErrNoStore)
		}
	}
	s := New(dsn, defaultFile)
	s.migrates = false
	return openNow(ctx, s)
}

// openNow opens a named store, waiting as long as ctx does.
func openNow(ctx context.Context, s *DB) (*DB, error) {
	if err := s.openWithin(ctx, 0); err != nil {
		return nil, err
	}
	return s, nil
}

// ErrUnreachable marks a store that did not answer: a PostgreSQL server that
// is down or out of reach, which may answer later.
var ErrUnreachable = errors.New("unreachable")

// ErrNoStore marks a SQLite store that does not exist yet: the worker
// creates it when it starts.
var ErrNoStore = errors.New("no store yet")

// describe names a store for messages, without a password.
func describe(dsn, defaultFile string) string {
	if !IsPostgres(dsn) {
		return cmp.Or(dsn, defaultFile)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "store.dsn"
	}
	return "postgres://" + u.Host + u.Path
}

// connect opens the connections, migrates the schema and prepares the
// writer; the store is open only if all of it succeeds.
func (s *DB) connect(ctx context.Context) error {
	c, err := dial(s.dsn, s.defaultFile)
	if err != nil {
		return err
	}
	s.connection = c
	err = s.migrate(ctx, s.migrates)
	if err == nil {
		err = s.prepareWriterStatements(ctx)
	}
	if err != nil {
		_ = c.close()
		s.connection = nil
		return fmt.Errorf("store %s: %w", s.where, err)
	}
	s.steps = newStepWriter(s)
	return nil
}

func dial(dsn, defaultFile string) (*connection, error) {
	if IsPostgres(dsn) {
		if _, err := url.Parse(dsn); err != nil {
			return nil, errors.New("store.dsn: not a postgres:// URL")
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		return &connection{db: db, writes: db, backend: postgresBackend}, nil
	}
	file := cmp.Or(dsn, defaultFile)
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return nil, fmt.Errorf("store %s: %w", file, err)
	}
	// WAL lets the starter and the dashboard read while the worker writes;
	// writes take the lock when they begin (txlock=immediate), so writers of
	// two processes queue for busy_timeout instead of failing on an upgrade.
	// The pragmas run in order as a connection opens: busy_timeout first, so
	// switching a new file to WAL waits for a store opening beside it.
	query := url.Values{"_txlock": {"immediate"}}
	for _, pragma := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)"} {
		query.Add("_pragma", pragma)
	}
	name := "file:" + uriPath.Replace(filepath.ToSlash(file)) + "?" + query.Encode()
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, err
	}
	// SQLite takes one writer at a time. The process's writers queue for a
	// single connection, in order, rather than each polling the file's lock:
	// a sweep's long write then cannot starve a workflow's short one.
	writes, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, err
	}
	writes.SetMaxOpenConns(1)
	return &connection{db: db, writes: writes, backend: sqliteBackend}, nil
}

// uriPath escapes what ends a path in a SQLite URI.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
