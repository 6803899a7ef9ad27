package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/freeport"
)

// The tests run the real worker main in a child process (this test binary,
// re-executed), so restarts, signals and exit codes are the real ones.
const childEnv = "SCOREFLOW_TEST_RUN_WORKER_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Args = append([]string{"worker"}, strings.Fields(os.Getenv(childEnv+"_ARGS"))...)
		main()
		os.Exit(0)
	}
	flag.Parse()
	runWaitingTestsTogether()
	os.Exit(m.Run())
}

// Most of the time of this package's parallel tests is spent waiting, not
// computing: a killed worker's activity is retried only once its
// start-to-close timeout (a minute or two) has passed. go test's default of
// one parallel test per core would leave both cores idle through those
// waits, and the package near go test's ten-minute limit; six at a time
// overlap them. A -parallel given on the command line wins.
func runWaitingTestsTogether() {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", "6")
	}
}

// workerProcess is a running worker child.
type workerProcess struct {
	cmd    *exec.Cmd
	output *bytes.Buffer
	done   chan error
}

func startWorkerProcess(t testing.TB, env []string, args ...string) *workerProcess {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs the worker, with its embedded Temporal server, in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, childEnv+"=1", childEnv+"_ARGS="+strings.Join(args, " "))...)
	p := &workerProcess{cmd: cmd, output: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.output, p.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			// Straight to stderr, not t.Log: printed now, it comes before the
			// test's own failure messages, which go test prints as the test
			// ends, so a log that only shows its tail keeps the failure.
			fmt.Fprintf(os.Stderr, "=== worker output of %s:\n%s\n=== end of the worker output of %s\n", t.Name(), p.output, t.Name())
		}
	})
	return p
}

// waitHealthy polls GET /readyz until it answers 200: Temporal and the store answer.
func (p *workerProcess) waitHealthy(t testing.TB, gateway string) {
	t.Helper()
	awaitReady(t, gateway, p.done, time.Now().Add(2*time.Minute))
}

// awaitReady polls a worker's GET /readyz until it answers 200, failing the
// test if the process that runs it exits first or the deadline passes.
func awaitReady(t testing.TB, gateway string, exited <-chan error, deadline time.Time) {
	t.Helper()
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("worker %s exited before it was ready: %v", gateway, err)
		default:
		}
		resp, err := http.Get("http://" + gateway + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("worker %s was not ready by its deadline", gateway)
}

// stop sends SIGTERM, as an orchestrator does, and expects a clean exit.
func (p *workerProcess) stop(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("worker did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("worker did not stop within a minute of SIGTERM")
	}
}

// freePort is a port for a server the test starts: below the ephemeral
// range, so the test's own client connections cannot take it first.
func freePort(t testing.TB) int { return freePorts(t, 1)[0] }

// freePorts are n distinct ports, none of them in reserved. freeport claims
// each for this test process, so no other server of the tests (each child
// worker draws its embedded server's ports) is handed one before, or after a
// crash test's kill, while its worker is down.
func freePorts(t testing.TB, n int, reserved ...int) []int {
	t.Helper()
	ports, err := freeport.Take("127.0.0.1", n, reserved...)
	if err != nil {
		t.Fatal(err)
	}
	return ports
}

// testSetup is a config file with one tenant on free ports, and the environment its secrets come from.
type testSetup struct {
	configPath                   string
	dbFile                       string
	temporalPort, uiPort, gwPort int
	env                          []string
}

func (s testSetup) gateway() string  { return fmt.Sprintf("127.0.0.1:%d", s.gwPort) }
func (s testSetup) temporal() string { return fmt.Sprintf("127.0.0.1:%d", s.temporalPort) }

func newTestSetup(t testing.TB) testSetup { return newTestSetupWith(t, nil, nil, "") }

// Credentials the test config gives Jira; the Jira simulator accepts them.
const testJiraEmail, testJiraToken = "ops@example.com", "jira-secret-value"

// The Slack app's signing secret in the test config.
const testSlackSigningSecret = "slack-signing-secret-value"

// testStickyCacheSize is the test config's temporal.worker.sticky_cache_size.
const testStickyCacheSize = 16

// newTestSetupWith points the config's Graph and Jira at simulators, when given.
func newTestSetupWith(t testing.TB, graphSim *sim.Server, jiraSim *jirasim.Server, slackAPI string) testSetup {
	t.Helper()
	dir := t.TempDir()
	ports := freePorts(t, 3)
	s := testSetup{
		configPath:   filepath.Join(dir, "scoreflow.yaml"),
		dbFile:       filepath.Join(dir, "data", "temporal.db"),
		temporalPort: ports[0], uiPort: ports[1], gwPort: ports[2],
		env: []string{"TEST_JIRA_TOKEN=" + testJiraToken, "TEST_SLACK_TOKEN=xoxb-secret-value", "TEST_GRAPH_SECRET=graph-secret-value",
			"TEST_JIRA_WEBHOOK_SECRET=jira-webhook-secret-value", "TEST_SLACK_SIGNING_SECRET=" + testSlackSigningSecret,
			"TEST_DASHBOARD_SECRET=" + testDashboardSecret, "TEST_MSP_GRAPH_SECRET=" + sim.MSP().ClientSecret},
	}
	graphSection, azureTenant, clientID := "graph:\n  write_check_after: 1s\n", "00000000-0000-0000-0000-000000000000", "11111111-1111-1111-1111-111111111111"
	if graphSim != nil {
		caFile, err := graphSim.WriteCA(dir)
		if err != nil {
			t.Fatal(err)
		}
		contoso := sim.Contoso()
		graphSection = fmt.Sprintf("graph:\n  base_url: %s\n  authority_host: %s\n  ca_file: %s\n  write_check_after: 1s\n",
			graphSim.GraphURL(), graphSim.AuthorityURL(), caFile)
		azureTenant, clientID = contoso.AzureTenantID, contoso.ClientID
		s.env[2] = "TEST_GRAPH_SECRET=" + contoso.ClientSecret
	}
	jiraURL := "https://jira.invalid"
	if jiraSim != nil {
		jiraURL = jiraSim.URL()
	}
	if slackAPI == "" {
		slackAPI = "https://slack.invalid/api/"
	}
	// The worker's cache is small (Contoso has 12 recommendations, and the
	// server's schedules share it), so the tests also replay evicted
	// workflows; the sweep test checks the size holds.
	// A recommendation that ended with a Graph write of its own stays open
	// until a sweep after graph.write_check_after has checked the write, or
	// as long again: one second, so the tests' ended workflows close soon.
	yaml := graphSection + fmt.Sprintf(`temporal:
  embedded: {db_file: %s, port: %d, ui_port: %d}
  worker: {sticky_cache_size: %d}
gateway:
  listen: 127.0.0.1:%d
jira:
  base_url: %s
  email: ops@example.com
  api_token: ${TEST_JIRA_TOKEN}
  webhook_secret: ${TEST_JIRA_WEBHOOK_SECRET}
  poll_interval: 2s
slack:
  api_url: %s
  bot_token: ${TEST_SLACK_TOKEN}
  signing_secret: ${TEST_SLACK_SIGNING_SECRET}
tenants:
  - id: contoso
    name: Contoso
    azure_tenant_id: %s
    client_id: %s
    client_secret: ${TEST_GRAPH_SECRET}
    products: [AzureAD, Exchange, SharePoint, Teams, DefenderForOffice]
    jira_project: CON
    slack_channel: C0CONTOSO
    approvers: [U0CUSTOMER1]
    technical_lead: U0TECHLEAD
`, s.dbFile, s.temporalPort, s.uiPort, testStickyCacheSize, s.gwPort, jiraURL, slackAPI, azureTenant, clientID)
	if err := os.WriteFile(s.configPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

// setConfig replaces one piece of the config file.
func setConfig(t testing.TB, path, from, to string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(raw, []byte(from)) {
		t.Fatalf("the config has no %q (%v)", from, err)
	}
	if err := os.WriteFile(path, bytes.Replace(raw, []byte(from), []byte(to), 1), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestBadConfigExitsNonZeroNamingTheKey(t *testing.T) {
	for name, tc := range map[string]struct{ from, to, key string }{
		"missing tenant id": {"  - id: contoso\n    name: Contoso", "  - name: Contoso", "tenants[0].id"},
		"unknown key":       {"gateway:", "gateway:\n  colour: blue", "colour"},
		"bad cron":          {"gateway:", "sweep:\n  cron: \"61 * * * *\"\ngateway:", "sweep.cron"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newTestSetup(t)
			setConfig(t, s.configPath, tc.from, tc.to)
			p := startWorkerProcess(t, s.env, "--config", s.configPath)
			var err error
			select {
			case err = <-p.done:
			case <-time.After(30 * time.Second):
				t.Fatal("worker with a bad config did not exit")
			}
			exitErr, ok := err.(*exec.ExitError)
			if !ok || exitErr.ExitCode() != 2 {
				t.Fatalf("exit = %v, want exit status 2", err)
			}
			if !strings.Contains(p.output.String(), tc.key) {
				t.Errorf("output does not name %q:\n%s", tc.key, p.output)
			}
			if _, statErr := os.Stat(s.dbFile); statErr == nil {
				t.Error("a bad config started the embedded server: the database file exists")
			}
			assertNoSecrets(t, p.output.String(), s.env)
		})
	}
}

// A port of the config already in use stops the worker with an error naming
// it. The gateway's is held before the embedded server starts, so that
// server, which picks free ports of its own, cannot take it either; a clash
// there ends the start before Temporal does anything.
func TestPortInUseExitsNamingIt(t *testing.T) {
	for name, tc := range map[string]struct {
		address      func(testSetup) string
		want         string
		databaseMade bool // the embedded server got as far as its database file
	}{
		"gateway":  {testSetup.gateway, "gateway.listen", false},
		"temporal": {testSetup.temporal, "temporal.embedded", true},
	} {
		t.Run(name, func(t *testing.T) {
			s := newTestSetup(t)
			taken, err := net.Listen("tcp", tc.address(s))
			if err != nil {
				t.Fatal(err)
			}
			defer taken.Close()
			p := startWorkerProcess(t, s.env, "--config", s.configPath)
			select {
			case err = <-p.done:
			case <-time.After(30 * time.Second):
				t.Fatal("worker with a port in use did not exit")
			}
			if exitErr, ok := err.(*exec.ExitError); !ok || exitErr.ExitCode() != 1 {
				t.Fatalf("exit = %v, want exit status 1", err)
			}
			output := p.output.String()
			if !strings.Contains(output, tc.want) || !strings.Contains(output, tc.address(s)+": bind: address already in use") {
				t.Errorf("output does not name %s and %s in use:\n%s", tc.want, tc.address(s), output)
			}
			if strings.Contains(output, "panic") {
				t.Errorf("the worker panicked:\n%s", output)
			}
			if _, statErr := os.Stat(s.dbFile); !tc.databaseMade && statErr == nil {
				t.Error("the embedded server started although the gateway could not listen: the database file exists")
			}
			assertNoSecrets(t, output, s.env)
		})
	}
}

func assertNoSecrets(t testing.TB, output string, env []string) {
	t.Helper()
	for _, kv := range env {
		if _, secret, _ := strings.Cut(kv, "="); strings.Contains(output, secret) {
			t.Errorf("a secret appears in the output: %s", strings.SplitN(kv, "=", 2)[0])
		}
	}
}

func httpGet(t *testing.T, ctx context.Context, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	return resp.StatusCode, body.String()
}
