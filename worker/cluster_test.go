package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
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
	server     *workerProcess
	serverArgs []string
	serverEnv  []string
	address    string // the Temporal frontend's
	workers    []*workerProcess
	configs    []testSetup
	storeDSN   string
	// postgres is the cluster's own PostgreSQL server, with clusterOptions.ownPostgres.
	postgres *storetest.Server
	// entra signs Contoso's approver in to the dashboards, with clusterOptions.dashboard.
	entra      *entrasim.Server
	dashboards []string
}

type clusterOptions struct {
	workers int
	// ownPostgres runs the cluster on a PostgreSQL server of the test's own,
	// which it may stop and start, rather than on the shared one.
	ownPostgres bool
	// dashboard has every worker serve the dashboard, each on its own port.
	dashboard bool
}

// sharedPostgresSlots bounds the topologies on the shared PostgreSQL at
// once: each takes dozens of its connections (the Temporal server's pools,
// every worker's store), and PostgreSQL's default max_connections is 100.
// The package runs more tests at once than that allows (TestMain).
var sharedPostgresSlots = make(chan struct{}, 2)

func holdSharedPostgresSlot(t *testing.T) {
	sharedPostgresSlots <- struct{}{}
	t.Cleanup(func() { <-sharedPostgresSlots })
}

// startCluster starts the server and the workers, all at once, as an
// orchestrator does. Without PostgreSQL the test is skipped, except in CI,
// where it fails.
func startCluster(t *testing.T, options clusterOptions) *cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs a Temporal server on PostgreSQL and several workers")
	}
	database := storetest.Postgres
	c := &cluster{}
	if options.ownPostgres {
		c.postgres = storetest.OwnPostgres(t)
		database = c.postgres.NewDatabase
	} else {
		holdSharedPostgresSlot(t)
	}
	temporalDB, visibilityDB := database(t), database(t)
	c.storeDSN = database(t)
	c.e2e = startSimulators(t, true)

	c.address = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c.serverEnv = []string{temporalPostgresEnv + "=" + serverOf(temporalDB)}
	c.serverArgs = []string{"--temporal-server", "--listen", c.address, "--databases", databaseName(temporalDB) + "," + databaseName(visibilityDB)}
	c.startServer(t)

	for range options.workers {
		c.dashboards = append(c.dashboards, fmt.Sprintf("http://127.0.0.1:%d", freePort(t)))
	}
	var dashboardCA string
	if options.dashboard {
		var callbacks []string
		for _, d := range c.dashboards {
			callbacks = append(callbacks, d+"/signin/callback")
		}
		c.entra = entrasim.New(entrasim.Client{ID: "dashboard-app", Secret: testDashboardSecret, RedirectURIs: callbacks}, contosoApprover)
		t.Cleanup(c.entra.Close)
		var err error
		if dashboardCA, err = c.entra.WriteCA(t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range options.workers {
		s := newTestSetupWith(t, c.graphSim, c.jiraSim, c.slackSim.APIURL())
		pointAtCluster(t, s, c.address)
		if options.dashboard {
			setConfig(t, s.configPath, "    approvers: [U0CUSTOMER1]\n", fmt.Sprintf("    approvers: [U0CUSTOMER1, \"entra:%s\"]\n", contosoApprover.ObjectID))
			setConfig(t, s.configPath, "tenants:\n", dashboardSection(c.dashboards[i], c.entra.Authority(), dashboardCA)+"tenants:\n")
		}
		s.env = append(s.env, "TEST_STORE_DSN="+c.storeDSN)
		c.configs = append(c.configs, s)
		c.workers = append(c.workers, startWorkerProcess(t, s.env, "--config", s.configPath))
	}
	for i := range c.workers {
		c.workers[i].waitHealthy(t, c.configs[i].gateway())
	}
	c.setup = c.configs[0]
	shareEnv(t, c.setup.env)
	// A killed worker's activities are retried after their timeouts (a
	// minute for Jira, two for Graph), and a test may kill two in turn.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	t.Cleanup(cancel)
	c.ctx = ctx
	dialed, err := client.Dial(client.Options{HostPort: c.address, Logger: embeddedtest.QuietSDK()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dialed.Close)
	c.client = dialed
	return c
}

// pointAtCluster makes a test config a cluster's worker: Temporal at
// address, with payloads in plain text, and the store from TEST_STORE_DSN.
func pointAtCluster(t testing.TB, s testSetup, address string) {
	t.Helper()
	embeddedLine := fmt.Sprintf("  embedded: {db_file: %s, port: %d, ui_port: %d}\n", s.dbFile, s.temporalPort, s.uiPort)
	setConfig(t, s.configPath, embeddedLine, fmt.Sprintf("  address: %s\n  encryption: {disabled: true}\n", address))
	setConfig(t, s.configPath, "tenants:\n", "store: {dsn: \"${TEST_STORE_DSN}\"}\ntenants:\n")
}

// serverOf is the URL of the server that holds a database, for
// worker --temporal-server, which creates its databases itself.
func serverOf(dsn string) string {
	u, _ := url.Parse(dsn)
	u.Path = "/"
	return u.String()
}

func databaseName(dsn string) string {
	u, _ := url.Parse(dsn)
	return strings.TrimPrefix(u.Path, "/")
}

// startServer starts the Temporal server and waits until it serves.
func (c *cluster) startServer(t *testing.T) {
	t.Helper()
	c.server = startWorkerProcess(t, c.serverEnv, c.serverArgs...)
	awaitFrontend(t, c.server, c.address)
}

// awaitFrontend waits until the server's frontend at address serves the namespace.
func awaitFrontend(t testing.TB, server *workerProcess, address string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-server.done:
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

// restart starts worker i again, with its config, and waits until it is ready.
func (c *cluster) restart(t *testing.T, i int) {
	t.Helper()
	c.workers[i] = startWorkerProcess(t, c.configs[i].env, "--config", c.configs[i].configPath)
	c.workers[i].waitHealthy(t, c.configs[i].gateway())
}

// stop stops, with SIGTERM, every worker still running, then the server.
func (c *cluster) stop(t *testing.T) {
	t.Helper()
	for _, w := range c.workers {
		if w.cmd.ProcessState == nil {
			w.stop(t)
		}
	}
	c.server.stop(t)
}

// ready asks worker i's readiness, and returns its status code and answer.
func (c *cluster) ready(t *testing.T, i int) (int, string) {
	t.Helper()
	return page(t, http.DefaultClient, "http://"+c.configs[i].gateway()+"/readyz")
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

// contosoRecommendations is the number of Contoso's open controls in its scope.
const contosoRecommendations = 12

// onboard sweeps Contoso through worker i's config and waits until every
// recommendation is in triage with its ticket, each ticket created once.
func (c *cluster) onboard(t *testing.T, i int) {
	t.Helper()
	sweep(t, c.configs[i].configPath)
	waitFor(t, c.ctx, func() bool { return c.inTriage(t) == contosoRecommendations })
	if n, creates := len(c.jiraSim.Issues()), c.jiraSim.Creates(); n != contosoRecommendations || creates != contosoRecommendations {
		t.Errorf("Jira has %d tickets after %d creates for %d recommendations", n, creates, contosoRecommendations)
	}
}

// expectStepsOnce waits until the store holds each of a recommendation's
// steps exactly once, as its workflow lists them.
func (c *cluster) expectStepsOnce(t *testing.T, control string) {
	t.Helper()
	history, err := store.Open(c.ctx, c.storeDSN, "")
	if err != nil {
		t.Fatal(err)
	}
	defer history.Close()
	want := len(state(t, c.ctx, c.client, control).Transitions)
	var got int
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		steps, err := history.Transitions(c.ctx, "contoso", time.Now().Add(-time.Hour))
		got = 0
		for _, s := range steps {
			if s.ControlID == control {
				got++
			}
		}
		if err == nil && got == want {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Errorf("the store holds %d steps of %s, its workflow %d", got, control, want)
}
