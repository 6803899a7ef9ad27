package storetest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/scoreflow/scoreflow/internal/temporal/embedded/freeport"
)

// Server is a PostgreSQL server of the test's own, which it may stop and
// start again: an outage of the store, without disturbing the shared
// server other tests use.
type Server struct {
	t       testing.TB
	pgCtl   string
	dataDir string
	port    int
	asUser  string // the user the server runs as; PostgreSQL refuses root
}

// OwnPostgres initialises and starts a PostgreSQL server in a temporary
// directory, from the binaries of the installed PostgreSQL, and stops it
// when the test ends. Without PostgreSQL installed the test is skipped,
// except in CI, where it fails.
func OwnPostgres(t testing.TB) *Server {
	t.Helper()
	binaries, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(binaries) == 0 {
		absent(t, "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are not installed")
	}
	ports, err := freeport.Take("127.0.0.1", 1)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, pgCtl: binaries[len(binaries)-1], port: ports[0]}
	// Not t.TempDir: the server's user must reach the data directory.
	dir, err := os.MkdirTemp("", "scoreflow-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	s.dataDir = filepath.Join(dir, "data")
	if err := os.Mkdir(s.dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		owner, err := user.Lookup("postgres")
		if err != nil {
			absent(t, "running as root, a PostgreSQL server needs the postgres user, which does not exist")
		}
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := errors.Join(os.Chmod(dir, 0o755), os.Chown(s.dataDir, uid, gid)); err != nil {
			t.Fatal(err)
		}
		s.asUser = owner.Username
	}
	initdb := filepath.Join(filepath.Dir(s.pgCtl), "initdb")
	if out, err := s.command(initdb, "-D", s.dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v: %s", err, out)
	}
	s.Start()
	t.Cleanup(func() { _ = s.ctl("stop", "-m", "immediate") })
	return s
}

// DSN is the server's URL, for its postgres database.
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// Start starts the server and waits until it takes connections.
func (s *Server) Start() {
	s.t.Helper()
	options := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", s.port, s.dataDir)
	if err := s.ctl("start", "-w", "-o", options, "-l", filepath.Join(s.dataDir, "server.log")); err != nil {
		s.t.Fatalf("starting the test's PostgreSQL: %v", err)
	}
}

// Stop stops the server at once, closing every connection.
func (s *Server) Stop() {
	s.t.Helper()
	if err := s.ctl("stop", "-w", "-m", "fast"); err != nil {
		s.t.Fatalf("stopping the test's PostgreSQL: %v", err)
	}
}

func (s *Server) ctl(args ...string) error {
	out, err := s.command(s.pgCtl, append([]string{"-D", s.dataDir}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %v: %w: %s", args, err, out)
	}
	return nil
}

// command runs as the server's user.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	if s.asUser == "" {
		return exec.Command(name, args...)
	}
	return exec.Command("runuser", append([]string{"-u", s.asUser, "--", name}, args...)...)
}

// absent skips the test for a missing prerequisite, or fails it in CI.
func absent(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}
