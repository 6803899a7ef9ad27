package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// versionTable is where the store keeps its schema's version; a database
// without it, holding other tables, is not scoreflow's.
const versionTable = "scoreflow_schema_version"

// migrate applies the migrations this binary knows that the database lacks,
// under a lock: a PostgreSQL advisory lock, or a lock file beside the
// SQLite file.
func (s *DB) migrate(ctx context.Context, apply bool) error {
	if err := s.db.PingContext(ctx); err != nil {
		if s.backend == postgresBackend {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		return fmt.Errorf("cannot open it: %w", err)
	}
	if err := s.checkIsOurs(ctx); err != nil {
		return err
	}
	sources, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	options := []goose.ProviderOption{goose.WithTableName(versionTable), goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	switch s.backend {
	case postgresBackend:
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		options = append(options, goose.WithSessionLocker(locker))
	case sqliteBackend:
		options = append(options, goose.WithLocker(&fileLocker{path: s.where + ".migrate-lock"}))
	}
	provider, err := goose.NewProvider(dialect, s.db, sources, options...)
	if err != nil {
		return err
	}
	current, target, err := provider.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if current > target {
		return fmt.Errorf("its schema is version %d, newer than this scoreflow knows (%d): run the release that wrote it, "+
			"or restore a backup made for this one", current, target)
	}
	if !apply && current < target {
		return fmt.Errorf("its schema is version %d, older than this scoreflow's (%d): start this release's worker, which migrates it",
			current, target)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrating the schema from version %d to %d: %w", current, target, err)
	}
	return nil
}

// checkIsOurs refuses a database that holds tables but no schema version:
// another application's, which the store must not write into.
func (s *DB) checkIsOurs(ctx context.Context) error {
	var query string
	switch s.backend {
	case sqliteBackend:
		query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	case postgresBackend:
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	tables, err := queryAll(ctx, s.db.QueryContext, func(rows *sql.Rows) (name string, err error) {
		return name, rows.Scan(&name)
	}, query)
	if err != nil {
		return fmt.Errorf("cannot read it: %w", err)
	}
	ours := slices.Contains(tables, versionTable)
	if len(tables) > 0 && !ours {
		return errors.New("it holds tables that are not scoreflow's: name another database (store.dsn)")
	}
	return nil
}
