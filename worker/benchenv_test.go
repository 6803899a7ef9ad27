package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/embeddedtest"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// controlsPerTenant is the size of a tenant: 80 open recommendations.
const controlsPerTenant = 80

// benchEnv is a worker process serving synthetic tenants, with the three simulators.
type benchEnv struct {
	tenants  []*sim.Tenant
	ids      []string // scoreflow tenant ids, in the order of tenants
	graphSim *sim.Server
	jiraSim  *jirasim.Server
	slackSim *slacksim.Server
	// entra signs each tenant's approver in to the dashboard at dashboardURL.
	entra        *entrasim.Server
	dashboardURL string
	// created receives the key of every ticket Jira creates while armed.
	created chan string
	armed   atomic.Bool
	dir     string
	gwPort  int
	// temporal is where the worker of the last config written reaches Temporal.
	temporal string
	env      []string
	worker   *workerProcess
	client   client.Client
	// rescorings counts the days on which every control got a new score.
	rescorings int
}

func newBenchEnv(b testing.TB, tenants int) *benchEnv {
	return newBenchEnvOf(b, tenants, controlsPerTenant)
}

// newBenchEnvOf is a fleet of tenants with that many controls each.
func newBenchEnvOf(b testing.TB, tenants, controls int) *benchEnv {
	e := &benchEnv{dir: b.TempDir(), gwPort: freePort(b), created: make(chan string, 1024)}
	for i := range tenants {
		e.tenants = append(e.tenants, sim.Synthetic(i+1, controls))
		e.ids = append(e.ids, fmt.Sprintf("t%03d", i+1))
	}
	e.graphSim = sim.New(e.tenants...)
	e.jiraSim = jirasim.New(testJiraEmail, testJiraToken)
	e.jiraSim.AfterCreate = func(key string) {
		if e.armed.Load() {
			e.created <- key
		}
	}
	e.slackSim = slacksim.New("xoxb-secret-value")
	e.dashboardURL = fmt.Sprintf("http://127.0.0.1:%d", freePort(b))
	var approvers []entrasim.User
	for i, t := range e.tenants {
		approvers = append(approvers, entrasim.User{TenantID: t.AzureTenantID, ObjectID: benchApprover(i), Name: fmt.Sprintf("Approver %d", i+1)})
	}
	// The MSP's staff sign in after the approvers, as user number len(tenants).
	e.entra = entrasim.New(entrasim.Client{ID: "dashboard-app", Secret: testDashboardSecret, RedirectURIs: []string{e.dashboardURL + "/signin/callback"}},
		append(approvers, mspStaff)...)
	b.Cleanup(func() { e.graphSim.Close(); e.jiraSim.Close(); e.slackSim.Close(); e.entra.Close() })
	e.env = []string{"TEST_JIRA_TOKEN=" + testJiraToken, "TEST_SLACK_TOKEN=xoxb-secret-value", "TEST_GRAPH_SECRET=" + sim.SyntheticSecret,
		"TEST_JIRA_WEBHOOK_SECRET=jira-webhook-secret-value", "TEST_SLACK_SIGNING_SECRET=" + testSlackSigningSecret,
		"TEST_DASHBOARD_SECRET=" + testDashboardSecret}
	return e
}

// benchApprover is the object id of the i-th tenant's approver on the dashboard.
func benchApprover(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1) }

// dashboardSession is the i-th tenant's approver, signed in to the dashboard.
func (e *benchEnv) dashboardSession(b testing.TB, i int) *http.Client {
	return signedIn(b, e.entra, e.dashboardURL, i)
}

// writeConfig writes the worker's config: the embedded server on dbFile when
// temporalAddress is empty, else a connection to that server.
// sizing is how the worker's and the embedded server's caches are sized,
// and, for a worker of several, where it keeps its store and serves.
type sizing struct {
	stickyCache  int    // workflows the worker keeps cached
	historyCache int    // workflows' mutable state the server keeps in memory; 0: its default
	memoryLimit  string // GOMEMLIMIT, the Go runtime's soft memory limit; "": none
	storeOff     bool   // store.disabled: the worker keeps no history
	payloadKeys  string // temporal.encryption.keys_file: payloads are encrypted; "": they are not
	storeDSN     string // store.dsn, a PostgreSQL one from TEST_STORE_DSN; "": the SQLite file beside the embedded server's
	gatewayPort  int    // the gateway's port; 0: the env's own (gwPort)
	noDashboard  bool   // another worker serves the dashboard
}

// defaults are the SDK's and the server's own sizes.
var defaults = sizing{stickyCache: 10000}

func (e *benchEnv) writeConfig(b testing.TB, name, temporalAddress, dbFile string, size sizing) string {
	caFile, err := e.graphSim.WriteCA(e.dir)
	if err != nil {
		b.Fatal(err)
	}
	entraCA, err := e.entra.WriteCA(e.dir)
	if err != nil {
		b.Fatal(err)
	}
	var yaml strings.Builder
	e.temporal = temporalAddress
	if temporalAddress == "" {
		ports := freePorts(b, 2, e.gwPort)
		e.temporal = fmt.Sprintf("127.0.0.1:%d", ports[0])
		fmt.Fprintf(&yaml, "temporal:\n  embedded: {db_file: %s, port: %d, ui_port: %d", dbFile, ports[0], ports[1])
		if size.historyCache > 0 {
			fmt.Fprintf(&yaml, ", history_cache_size: %d", size.historyCache)
		}
		yaml.WriteString("}\n")
	} else {
		fmt.Fprintf(&yaml, "temporal:\n  address: %s\n", temporalAddress)
	}
	fmt.Fprintf(&yaml, "  worker: {sticky_cache_size: %d}\n", size.stickyCache)
	switch {
	case size.payloadKeys != "":
		fmt.Fprintf(&yaml, "  encryption: {keys_file: %s}\n", size.payloadKeys)
	case temporalAddress != "":
		yaml.WriteString("  encryption: {disabled: true}\n") // a cluster asks to be told; the benchmarks compare plain payloads
	}
	switch {
	case size.storeOff:
		yaml.WriteString("store: {disabled: true}\n")
	case store.IsPostgres(size.storeDSN): // its password comes from the environment only
		yaml.WriteString("store: {dsn: \"${TEST_STORE_DSN}\"}\n")
	case size.storeDSN != "":
		fmt.Fprintf(&yaml, "store: {dsn: %q}\n", size.storeDSN)
	}
	fmt.Fprintf(&yaml, `gateway: {listen: "127.0.0.1:%d", pprof: true}
sweep: {cron: "0 10 1 1 *"}
graph: {base_url: %s, authority_host: %s, ca_file: %s}
jira: {base_url: %s, email: %s, api_token: "${TEST_JIRA_TOKEN}", webhook_secret: "${TEST_JIRA_WEBHOOK_SECRET}"}
slack: {api_url: %s, bot_token: "${TEST_SLACK_TOKEN}", signing_secret: "${TEST_SLACK_SIGNING_SECRET}"}
`, cmp.Or(size.gatewayPort, e.gwPort), e.graphSim.GraphURL(), e.graphSim.AuthorityURL(), caFile, e.jiraSim.URL(), testJiraEmail, e.slackSim.APIURL())
	if !size.storeOff && !size.noDashboard { // the dashboard reads the store
		fmt.Fprintf(&yaml, `dashboard: {listen: %s, public_url: %s, authority: %s, ca_file: %s, client_id: dashboard-app, client_secret: "${TEST_DASHBOARD_SECRET}",
  msp_tenant_id: 0d3c5f8e-0000-4000-8000-000000000001, msp_group: 0d3c5f8e-0000-4000-8000-000000000002}
`, strings.TrimPrefix(e.dashboardURL, "http://"), e.dashboardURL, e.entra.Authority(), entraCA)
	}
	yaml.WriteString("tenants:\n")
	for i, t := range e.tenants {
		fmt.Fprintf(&yaml, `  - {id: %s, name: Tenant %d, azure_tenant_id: %s, client_id: %s, client_secret: "${TEST_GRAPH_SECRET}",
     products: [AzureAD], jira_project: T%03d, slack_channel: C0T%03d, approvers: [U0CUSTOMER1, "entra:%s"], technical_lead: U0TECHLEAD}
`, e.ids[i], i+1, t.AzureTenantID, t.ClientID, i+1, i+1, benchApprover(i))
	}
	path := filepath.Join(e.dir, name+".yaml")
	if err := os.WriteFile(path, []byte(yaml.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// environ is a worker's environment: env, with GOMEMLIMIT when it has a memory limit.
func (size sizing) environ(env []string) []string {
	if size.memoryLimit == "" {
		return env
	}
	return append(slices.Clip(env), "GOMEMLIMIT="+size.memoryLimit)
}

// start runs the worker with a config and connects a client to its Temporal.
func (e *benchEnv) start(b testing.TB, configPath string, size sizing) {
	e.worker = startWorkerProcess(b, size.environ(e.env), "--config", configPath)
	e.worker.waitHealthy(b, fmt.Sprintf("127.0.0.1:%d", e.gwPort))
	options := client.Options{HostPort: e.temporal, Logger: embeddedtest.QuietSDK()}
	if size.payloadKeys != "" {
		payloads, err := temporalclient.Codec(config.Encryption{KeysFile: size.payloadKeys})
		if err != nil {
			b.Fatal(err)
		}
		options.DataConverter = payloads.DataConverter()
	}
	c, err := client.Dial(options)
	if err != nil {
		b.Fatal(err)
	}
	e.client = c
}

func (e *benchEnv) stop(b testing.TB) {
	e.client.Close()
	e.worker.stop(b)
}

// sweepAll runs every tenant's sweep at once, as the daily Schedules do
// without sweep.jitter, and waits for them all.
func (e *benchEnv) sweepAll(b testing.TB, ctx context.Context, label string) []lifecycle.SweepResult {
	results := make([]lifecycle.SweepResult, len(e.ids))
	var wg sync.WaitGroup
	errs := make(chan error, len(e.ids))
	for i, id := range e.ids {
		wg.Go(func() {
			run, err := e.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: lifecycle.SweepScheduleID(id) + "/" + label, TaskQueue: "scoreflow",
				Priority: lifecycle.BackgroundPriority, // as the daily Schedule starts them
			}, lifecycle.TenantSweepWorkflowType, lifecycle.SweepInput{TenantID: id})
			if err == nil {
				err = run.Get(ctx, &results[i])
			}
			if err != nil {
				errs <- fmt.Errorf("sweep of %s: %w", id, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return results
}

// countStage counts running recommendation workflows in a stage, through visibility.
func (e *benchEnv) countStage(b testing.TB, ctx context.Context, stage lifecycle.Stage) int {
	resp, err := e.client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: fmt.Sprintf(
		"WorkflowType = '%s' AND ExecutionStatus = 'Running' AND %s = '%s'", lifecycle.RecommendationWorkflowType, lifecycle.StageKey.GetName(), stage)})
	if err != nil {
		b.Fatal(err)
	}
	return int(resp.Count)
}

// waitCount waits until want workflows are in stage.
func (e *benchEnv) waitCount(b testing.TB, ctx context.Context, stage lifecycle.Stage, want int) {
	for e.countStage(b, ctx, stage) < want {
		if ctx.Err() != nil {
			b.Fatalf("only %d of %d workflows reached %s", e.countStage(b, context.Background(), stage), want, stage)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// resident is a process's memory as Linux counts it, in MB.
type resident struct {
	rss  float64 // resident set (VmRSS)
	peak float64 // its high-water mark (VmHWM)
	// anon is the part of rss not backed by a file (RssAnon): the Go heap and
	// stacks. The rest is mostly the binary's own pages, shared and
	// reclaimable.
	anon float64
}

func residentMB(b testing.TB, pid int) resident {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	var m resident
	for _, line := range strings.Split(string(raw), "\n") {
		name, value, _ := strings.Cut(line, ":")
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		switch name {
		case "VmRSS":
			m.rss = kb / 1024
		case "VmHWM":
			m.peak = kb / 1024
		case "RssAnon":
			m.anon = kb / 1024
		}
	}
	return m
}

func (m resident) report(b *testing.B) {
	b.ReportMetric(m.rss, "MB_rss")
	b.ReportMetric(m.peak, "MB_peak")
	b.ReportMetric(m.anon, "MB_anon")
}

// graphRequests is the Graph calls all tenants have made so far.
func (e *benchEnv) graphRequests() int {
	total := 0
	for _, t := range e.tenants {
		total += e.graphSim.Requests(t.AzureTenantID)
	}
	return total
}

// waitIdle waits until the process has had a quiet second three times in a
// row (under a tenth of a core), and returns how long that took. Delivering a
// sweep's signals is not the end of its work: every workflow still runs a
// task for its observation, and with a small sticky cache each such task
// replays the workflow's history first. A measurement taken before that
// backlog drains sees neither its memory nor its latency.
func waitIdle(b testing.TB, pid int) time.Duration {
	start := time.Now()
	quiet := 0
	last := cpuTicks(b, pid)
	for quiet < 3 {
		if time.Since(start) > 15*time.Minute {
			b.Fatalf("process %d still busy after %s", pid, time.Since(start).Round(time.Second))
		}
		time.Sleep(time.Second)
		now := cpuTicks(b, pid)
		// Linux counts CPU time in ticks of 1/100 s (USER_HZ), so 10 ticks is a tenth of a core-second.
		if now-last < 10 {
			quiet++
		} else {
			quiet = 0
		}
		last = now
	}
	return time.Since(start) - 3*time.Second
}

// ticksToMS converts ticks of USER_HZ (100 per second on Linux) to milliseconds.
func ticksToMS(ticks int64) float64 { return float64(ticks) * 10 }

// cpuTicks is the CPU time a process has used, user and system, in ticks.
func cpuTicks(b testing.TB, pid int) int64 {
	fields, ok := procStat(pid)
	if !ok {
		b.Fatalf("process %d has ended", pid)
	}
	// Fields 14 and 15 of proc(5), utime and stime.
	return fieldSum(fields, 11, 12)
}

// procStat is a process's /proc/<pid>/stat after its command name, whose
// parentheses may hold spaces: fields[0] is the state (field 3 of proc(5)),
// fields[1] the parent's PID. ok is false for a process that has ended.
func procStat(pid int) (fields []string, ok bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, false
	}
	return strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:])), true
}

func fieldSum(fields []string, indexes ...int) int64 {
	var sum int64
	for _, i := range indexes {
		n, _ := strconv.ParseInt(fields[i], 10, 64)
		sum += n
	}
	return sum
}
