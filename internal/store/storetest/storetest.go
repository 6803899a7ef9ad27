// Package storetest gives tests a new, empty store on each backend: a SQLite
// file in the test's temporary directory, and a database of its own on the
// PostgreSQL server that SCOREFLOW_TEST_POSTGRES names.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// PostgresEnv names a PostgreSQL URL whose role may create databases, such
// as postgres://scoreflow:scoreflow@127.0.0.1:5432/scoreflow?sslmode=disable.
const PostgresEnv = "SCOREFLOW_TEST_POSTGRES"

// Backend makes a new store's DSN for a test.
type Backend struct {
	Name string
	DSN  func(t testing.TB) string
}

// Backends are SQLite, and PostgreSQL when SCOREFLOW_TEST_POSTGRES is set.
// Without it a test of PostgreSQL is skipped with a line saying so, except
// in CI (CI=true), where it fails: CI proves both backends.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", DSN: SQLite}, {Name: "postgres", DSN: Postgres}}
}

// SQLite is a new SQLite file's path.
func SQLite(t testing.TB) string { return filepath.Join(t.TempDir(), "scoreflow.db") }

// Postgres creates a database for the test and returns its URL; the
// database is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI tests the store on PostgreSQL too (.ci/run starts it)", PostgresEnv)
		}
		t.Skipf("PostgreSQL: set %s to a server's URL to test the store on it", PostgresEnv)
	}
	return newDatabase(t, admin)
}

// NewDatabase creates a database on the test's own server and returns its
// URL; it goes with the server.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, s.DSN())
}

// newDatabase creates a database of a random name on the server at admin,
// dropped when the test ends.
func newDatabase(t testing.TB, admin string) string {
	t.Helper()
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "scoreflow_test_" + hex.EncodeToString(suffix)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err == nil {
			_, _ = db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = db.Close()
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
