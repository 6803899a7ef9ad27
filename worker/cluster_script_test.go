package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

// The script docs/operations.md gives starts the cluster topology: the
// Temporal server on PostgreSQL and two workers from one config, each on
// ports of its own; both become ready, and stopping the script stops them.
func TestTheLocalClusterScriptStartsTheTopology(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the worker and runs a Temporal server on PostgreSQL and two workers")
	}
	t.Parallel()
	holdSharedPostgresSlot(t)
	temporalDB, visibilityDB, storeDSN := storetest.Postgres(t), storetest.Postgres(t), storetest.Postgres(t)
	e := startSimulators(t, true)
	s := newTestSetupWith(t, e.graphSim, e.jiraSim, e.slackSim.APIURL())
	address := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	pointAtCluster(t, s, address)
	// Above the ephemeral range (32768-60999) and freeport's, so no other
	// test or connection holds them.
	setConfig(t, s.configPath, fmt.Sprintf("  listen: 127.0.0.1:%d\n", s.gwPort), "  listen: 127.0.0.1:6108${SCOREFLOW_WORKER}\n")
	gateways := []string{"127.0.0.1:61081", "127.0.0.1:61082"}

	script := exec.Command("bash", filepath.Join("..", "deploy", "local-cluster.sh"), s.configPath, "2")
	script.Env = append(os.Environ(), append(s.env, "TEST_STORE_DSN="+storeDSN, temporalPostgresEnv+"="+serverOf(temporalDB),
		"SCOREFLOW_TEMPORAL_LISTEN="+address, "SCOREFLOW_TEMPORAL_DATABASES="+databaseName(temporalDB)+","+databaseName(visibilityDB))...)
	var output strings.Builder
	script.Stdout, script.Stderr = &output, &output
	// Its own process group, so that a failing test can stop the server and workers it started.
	script.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := script.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- script.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-script.Process.Pid, syscall.SIGKILL)
		if t.Failed() {
			fmt.Fprintf(os.Stderr, "=== local-cluster.sh output:\n%s\n=== end\n", output.String())
		}
	})

	deadline := time.Now().Add(5 * time.Minute) // the script builds the worker first
	for _, gateway := range gateways {
		awaitReady(t, gateway, done, deadline)
	}
	if err := script.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the script did not stop within a minute of SIGTERM")
	}
	for _, gateway := range gateways {
		if resp, err := http.Get("http://" + gateway + "/readyz"); err == nil {
			resp.Body.Close()
			t.Errorf("worker %s still answers (%d) after the script stopped", gateway, resp.StatusCode)
		}
	}
}
