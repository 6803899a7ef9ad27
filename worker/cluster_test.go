package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/embeddedtest"
)

// cluster is the real topology on this machine: Temporal's server as a
// process of its own on PostgreSQL, scoreflow's workers as processes
// pointed at it, the store on PostgreSQL, and the simulators.
type cluster struct {
	*e2e
	server   *workerProcess
	workers  []*workerProcess
	configs  []testSetup
	storeDSN string
}

// startCluster starts the server and n workers. Without PostgreSQL the test
// is skipped, except in CI, where it fails.
func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs a Temporal server on PostgreSQL and several workers")
	}
	temporalDB, visibilityDB, storeDSN := storetest.Postgres(t), storetest.Postgres(t), storetest.Postgres(t)
	c := &cluster{e2e: startSimulators(t, true), storeDSN: storeDSN}

	address := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	server, _ := url.Parse(temporalDB)
	server.Path = "/"
	c.server = startWorkerProcess(t, []string{temporalPostgresEnv + "=" + server.String()}, "--temporal-server", "--listen", address,
		"--databases", databaseName(temporalDB)+","+databaseName(visibilityDB))
	c.awaitServer(t, address)

	for i := range n {
		s := newTestSetupWith(t, c.graphSim, c.jiraSim, c.slackSim.APIURL())
		embeddedLine := fmt.Sprintf("  embedded: {db_file: %s, port: %d, ui_port: %d}\n", s.dbFile, s.temporalPort, s.uiPort)
		setConfig(t, s.configPath, embeddedLine, fmt.Sprintf("  address: %s\n  encryption: {disabled: true}\n", address))
		setConfig(t, s.configPath, "tenants:\n", "store: {dsn: \"${TEST_STORE_DSN}\"}\ntenants:\n")
		s.env = append(s.env, "TEST_STORE_DSN="+storeDSN)
		worker := startWorkerProcess(t, s.env, "--config", s.configPath)
		worker.waitHealthy(t, s.gateway())
		c.workers, c.configs = append(c.workers, worker), append(c.configs, s)
		if i == 0 {
			c.setup = s
		}
	}
	shareEnv(t, c.setup.env)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	c.ctx = ctx
	dialed, err := client.Dial(client.Options{HostPort: address, Logger: embeddedtest.QuietSDK()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dialed.Close)
	c.client = dialed
	return c
}

func databaseName(dsn string) string {
	u, _ := url.Parse(dsn)
	return strings.TrimPrefix(u.Path, "/")
}

// awaitServer waits until the server's frontend serves the namespace.
func (c *cluster) awaitServer(t *testing.T, address string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-c.server.done:
			t.Fatalf("the Temporal server exited: %v", err)
		default:
		}
		if dialed, err := client.Dial(client.Options{HostPort: address, Logger: embeddedtest.QuietSDK()}); err == nil {
			_, err = dialed.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{})
			dialed.Close()
			if err == nil {
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatal("the Temporal server did not serve within 2 minutes")
}

// kill kills worker i, as a machine that dies does.
func (c *cluster) kill(i int) {
	_ = c.workers[i].cmd.Process.Signal(syscall.SIGKILL)
	<-c.workers[i].done
}

// Two workers on a Temporal server of its own on PostgreSQL, one killed
// during the onboarding: the other finishes it, and every ticket, decision
// message, Graph write and store row exists once.
func TestOnAClusterAWorkerKilledDuringTheOnboardingLosesNothing(t *testing.T) {
	t.Parallel() // the killed worker's activities time out: a minute of waiting
	c := startCluster(t, 2)
	var once sync.Once
	var created atomic.Int32 // the simulator's own count takes the lock this hook runs under
	c.jiraSim.AfterCreate = func(string) {
		if created.Add(1) == 3 {
			once.Do(func() { c.kill(0) })
		}
	}
	sweep(t, c.configs[1].configPath)
	const recommendations = 12 // Contoso's open controls in its scope
	waitFor(t, c.ctx, func() bool { return c.inTriage(t) == recommendations })
	if n, creates := len(c.jiraSim.Issues()), c.jiraSim.Creates(); n != recommendations || creates != recommendations {
		t.Errorf("Jira has %d tickets after %d creates for %d recommendations", n, creates, recommendations)
	}
	// A decision on the surviving worker: one message, one Graph write.
	starter(t, c.configs[1], "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", "Jane")
	starter(t, c.configs[1], "verdict", "contoso", "AdminMFAV2", "critical_decision", "--by", "Jane")
	waitFor(t, c.ctx, func() bool { return state(t, c.ctx, c.client, "AdminMFAV2").DecisionMessage != nil })
	starter(t, c.configs[1], "decide", "contoso", "AdminMFAV2", "accept_risk", "--by", "Chris", "--reason", "legacy tooling")
	waitStage(t, c.ctx, c.client, "AdminMFAV2", lifecycle.StageRiskAccepted)
	if posts := c.slackSim.Posts(); posts != 1 {
		t.Errorf("Slack got %d posts, want the one decision message", posts)
	}
	if patches := c.graphSim.Patches(c.contoso.AzureTenantID); patches != 1 {
		t.Errorf("Graph got %d state writes, want one", patches)
	}
	history, err := store.Open(c.ctx, c.storeDSN, "")
	if err != nil {
		t.Fatal(err)
	}
	defer history.Close()
	st := state(t, c.ctx, c.client, "AdminMFAV2")
	waitFor(t, c.ctx, func() bool {
		steps, err := history.Transitions(c.ctx, "contoso", time.Now().Add(-time.Hour))
		count := 0
		for _, s := range steps {
			if s.ControlID == "AdminMFAV2" {
				count++
			}
		}
		return err == nil && count == len(st.Transitions)
	})
	c.workers[1].stop(t)
	c.server.stop(t)
}

// inTriage counts the running recommendations in triage, through visibility.
func (c *cluster) inTriage(t *testing.T) int {
	t.Helper()
	resp, err := c.client.CountWorkflow(c.ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: lifecycle.RecommendationsQuery(
		lifecycle.RunningQuery, fmt.Sprintf("%s = '%s'", lifecycle.StageKey.GetName(), lifecycle.StageTriage))})
	if err != nil {
		t.Fatal(err)
	}
	return int(resp.Count)
}
