// Package embeddedtest starts an embedded Temporal server inside a test's
// own process, for tests that need a real server but not a worker process.
package embeddedtest

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/freeport"
)

// Start runs a server on a new database with the namespace "default" and
// dials a client of it. stop closes the client, then the server; the test's
// cleanup does so too, if stop was not called before.
func Start(t testing.TB) (server *embedded.Server, c client.Client, stop func()) {
	t.Helper()
	ports, err := freeport.Take("127.0.0.1", 1)
	if err != nil {
		t.Fatal(err)
	}
	server, err = embedded.Start(embedded.Options{DBFile: filepath.Join(t.TempDir(), "temporal.db"), IP: "127.0.0.1",
		Port: ports[0], Namespace: "default", Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	c, err = client.Dial(client.Options{HostPort: server.Address(), Logger: QuietSDK()})
	if err != nil {
		server.Stop()
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() { once.Do(func() { c.Close(); server.Stop() }) }
	t.Cleanup(stop)
	return server, c, stop
}

// QuietSDK is a Temporal SDK logger that drops everything: a test's output
// keeps to what the test says.
func QuietSDK() sdklog.Logger { return logging.Temporal(zerolog.Nop()) }
