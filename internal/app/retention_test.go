package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/embeddedtest"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// A cluster's namespace keeps the retention its operator gave it: the worker
// only reports it, and warns when it is too short for regressions and audits.
// The embedded namespace is set to the config's.
func TestRetentionIsSetOnlyOnTheEmbeddedNamespace(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts an embedded Temporal server")
	}
	server, c, _ := embeddedtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	created, err := temporalclient.Retention(ctx, c, "default")
	if err != nil {
		t.Fatal(err)
	}

	var logs bytes.Buffer
	remote := config.Temporal{Address: server.Address(), Namespace: "default"}
	if err := setOrReportRetention(ctx, c, remote, zerolog.New(&logs)); err != nil {
		t.Fatal(err)
	}
	if got, _ := temporalclient.Retention(ctx, c, "default"); got != created {
		t.Errorf("a cluster's retention was changed from %s to %s", created, got)
	}
	if !strings.Contains(logs.String(), `"level":"warn"`) || !strings.Contains(logs.String(), `"retention":"`+created.String()+`"`) {
		t.Errorf("a retention of %s was not reported as a warning: %s", created, logs.String())
	}

	embedded := config.Temporal{Namespace: "default", Embedded: config.Embedded{Retention: config.Duration(45 * 24 * time.Hour)}}
	for range 2 { // the second start finds it set and changes nothing
		if err := setOrReportRetention(ctx, c, embedded, zerolog.Nop()); err != nil {
			t.Fatal(err)
		}
		if got, err := temporalclient.Retention(ctx, c, "default"); err != nil || got != 45*24*time.Hour {
			t.Errorf("embedded retention = %s (%v), want 45 days", got, err)
		}
	}
	logs.Reset()
	if err := setOrReportRetention(ctx, c, remote, zerolog.New(&logs)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `"level":"info"`) {
		t.Errorf("a retention of 45 days was reported as %s", logs.String())
	}
}
