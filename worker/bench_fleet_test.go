package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

// BenchmarkFleet measures a fleet of 1,000 tenants × 80 controls on the two
// topologies, one after the other on the same machine: the embedded single
// process (Temporal on SQLite inside the worker, the store on SQLite) and
// the cluster (Temporal's server as a process of its own on PostgreSQL, two
// workers, the store on PostgreSQL). For each: the onboarding's duration and
// rate, each process's memory and CPU per workflow, the databases' size, the
// daily sweep of every tenant with its Graph requests, a decision's latency
// during that sweep, and the dashboard's overview and tenant page.
// BENCHMARKS.md holds the results; reproduce them with
//
//	go test ./worker -run '^$' -bench Fleet -benchtime 1x -timeout 150m
//
// SCOREFLOW_BENCH_FLEET_TENANTS sets another number of tenants, and
// SCOREFLOW_BENCH_FLEET_TOPOLOGY=embedded or cluster runs only that one; the
// cluster needs SCOREFLOW_TEST_POSTGRES, as the tests do.
func BenchmarkFleet(b *testing.B) {
	b.Logf("machine: %s, %d CPUs, %s, %s", cpuModel(), runtime.NumCPU(), memTotal(), runtime.Version())
	tenants := 1000
	if env := os.Getenv("SCOREFLOW_BENCH_FLEET_TENANTS"); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil || n < 1 {
			b.Fatalf("SCOREFLOW_BENCH_FLEET_TENANTS: want a number of tenants, got %q", env)
		}
		tenants = n
	}
	topologies := []string{"embedded", "cluster"}
	if env := os.Getenv("SCOREFLOW_BENCH_FLEET_TOPOLOGY"); env != "" {
		if !slices.Contains(topologies, env) {
			b.Fatalf("SCOREFLOW_BENCH_FLEET_TOPOLOGY: want one of %v, got %q", topologies, env)
		}
		topologies = []string{env}
	}
	for _, topology := range topologies {
		b.Run(fmt.Sprintf("%s/tenants=%d", topology, tenants), func(b *testing.B) {
			f := startFleet(b, topology, tenants)
			f.onboard(b)
			f.databaseSizes(b)
			f.dailySweep(b)
			f.dashboardPages(b)
			f.stop(b)
		})
	}
}

// A cluster worker's sizing: with the SDK's default sticky cache of 10,000
// workflows a worker held about 1 GB after the onboarding and 1.3 GB at the
// daily sweep's peak (run 25); two workers of 4,000 keep a tenth of the
// fleet's 80,000 open recommendations cached, and the soft limit makes the
// collector work harder before a worker reaches 1 GB.
const (
	clusterStickyCache = 4000
	clusterMemoryLimit = "800MiB"
)

// fleet is a benchEnv on one of the two topologies.
type fleet struct {
	*benchEnv
	workers  []*workerProcess // the first is benchEnv.worker, which serves the dashboard
	gateways []string         // the workers' gateways, in the same order
	server   *workerProcess   // the cluster's Temporal server; nil when embedded
	// databases are the cluster's PostgreSQL databases, or the embedded
	// process's SQLite files, by what they hold.
	databases map[string]string
	admin     string // PostgreSQL's URL, to ask it the databases' size
	// postmaster is the cluster's PostgreSQL server's PID, to read its CPU;
	// 0 when embedded or when PostgreSQL runs elsewhere.
	postmaster int
}

func startFleet(b *testing.B, topology string, tenants int) *fleet {
	f := &fleet{benchEnv: newBenchEnvOf(b, tenants, controlsPerTenant)}
	if topology == "embedded" {
		f.databases = map[string]string{"temporal": filepath.Join(f.dir, "temporal.db"), "visibility": filepath.Join(f.dir, "temporal-visibility.db"),
			"store": filepath.Join(f.dir, "scoreflow.db")}
		f.start(b, f.writeConfig(b, "embedded", "", f.databases["temporal"], sizing{stickyCache: defaults.stickyCache, storeDSN: f.databases["store"]}),
			defaults)
		f.workers, f.gateways = []*workerProcess{f.worker}, []string{fmt.Sprintf("127.0.0.1:%d", f.gwPort)}
		return f
	}
	f.admin = os.Getenv(storetest.PostgresEnv)
	f.postmaster = postmaster(b, f.admin)
	f.databases = map[string]string{"temporal": storetest.Postgres(b), "visibility": storetest.Postgres(b), "store": storetest.Postgres(b)}
	f.env = append(f.env, "TEST_STORE_DSN="+f.databases["store"])
	address := fmt.Sprintf("127.0.0.1:%d", freePort(b))
	f.server = startWorkerProcess(b, []string{temporalPostgresEnv + "=" + serverOf(f.databases["temporal"])}, "--temporal-server", "--listen", address,
		"--databases", databaseName(f.databases["temporal"])+","+databaseName(f.databases["visibility"]))
	awaitFrontend(b, f.server, address)
	// Two workers sized to stay under 1 GB each (docs/operations.md,
	// Sizing): the first serves the dashboard beside its gateway.
	size := sizing{stickyCache: clusterStickyCache, memoryLimit: clusterMemoryLimit, storeDSN: f.databases["store"]}
	f.start(b, f.writeConfig(b, "worker-0", address, "", size), size)
	second := size
	second.gatewayPort, second.noDashboard = freePort(b), true
	other := startWorkerProcess(b, second.environ(f.env), "--config", f.writeConfig(b, "worker-1", address, "", second))
	otherGateway := fmt.Sprintf("127.0.0.1:%d", second.gatewayPort)
	other.waitHealthy(b, otherGateway)
	f.workers = []*workerProcess{f.worker, other}
	f.gateways = []string{fmt.Sprintf("127.0.0.1:%d", f.gwPort), otherGateway}
	return f
}

func (f *fleet) stop(b *testing.B) {
	f.client.Close()
	for _, w := range f.workers {
		w.stop(b)
	}
	if f.server != nil {
		f.server.stop(b)
	}
}

// cpu is the CPU ticks each process has used: the workers, then the
// server, then PostgreSQL's when it runs on this machine.
func (f *fleet) cpu(b *testing.B) []int64 {
	var ticks []int64
	for _, w := range f.processes() {
		ticks = append(ticks, cpuTicks(b, w.cmd.Process.Pid))
	}
	if f.postmaster != 0 {
		ticks = append(ticks, postgresTicks(b, f.postmaster))
	}
	return ticks
}

func (f *fleet) processes() []*workerProcess {
	if f.server == nil {
		return f.workers
	}
	return append(append([]*workerProcess{}, f.workers...), f.server)
}

// onboard sweeps every tenant for the first time and waits until all of
// their recommendations are in triage with a ticket each.
func (f *fleet) onboard(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	want := len(f.ids) * controlsPerTenant
	before, loadsBefore, start := f.cpu(b), f.stateLoads(b), time.Now()
	watched := make(chan ticketWatch, 1)
	go func() { watched <- f.watchTickets(ctx, want) }()
	f.sweepAll(b, ctx, "onboarding")
	if watch := <-watched; watch.err != nil {
		b.Fatal(watch.err)
	}
	f.waitCount(b, ctx, lifecycle.StageTriage, want)
	elapsed := time.Since(start)
	if created := f.jiraSim.Creates(); created != want {
		b.Fatalf("%d tickets created for %d recommendations", created, want)
	}
	b.ReportMetric(elapsed.Seconds(), "s_onboarding")
	b.ReportMetric(float64(want)/elapsed.Seconds(), "workflows/s")
	f.reportProcesses(b, "onboarding", before, want)
	f.reportStateLoads(b, "onboarding", loadsBefore, want)
}

// reportProcesses reports each process's CPU time per workflow since
// before (f.cpu), in a phase, and its resident memory then and at its peak;
// PostgreSQL's CPU too, all of its databases', when it is on this machine.
func (f *fleet) reportProcesses(b *testing.B, phase string, before []int64, workflows int) {
	after := f.cpu(b)
	perWorkflow := func(i int, name string) {
		b.ReportMetric(ticksToMS(after[i]-before[i])/float64(workflows), "cpu_ms/workflow_"+phase+"_"+name)
	}
	processes := f.processes()
	for i, p := range processes {
		name := fmt.Sprintf("worker%d", i)
		if p == f.server {
			name = "server"
		}
		m := residentMB(b, p.cmd.Process.Pid)
		perWorkflow(i, name)
		b.ReportMetric(m.peak, "MB_peak_"+phase+"_"+name)
		b.ReportMetric(m.rss, "MB_rss_"+phase+"_"+name)
	}
	if f.postmaster != 0 {
		perWorkflow(len(processes), "postgres")
	}
}

// stateLoads is how often the cluster's server has read a workflow's
// mutable state from PostgreSQL, a miss of its workflow cache: every load
// reads request_cancel_info_maps, which nothing else in the benchmark
// reads or writes. -1 when embedded.
func (f *fleet) stateLoads(b *testing.B) int64 {
	if f.admin == "" {
		return -1
	}
	db, err := sql.Open("pgx", f.databases["temporal"])
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var loads int64
	if err := db.QueryRow(`SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables
		WHERE relname = 'request_cancel_info_maps'`).Scan(&loads); err != nil {
		b.Fatal(err)
	}
	return loads
}

// reportStateLoads reports the server's reads of mutable state per
// workflow in a phase, on the cluster.
func (f *fleet) reportStateLoads(b *testing.B, phase string, before int64, workflows int) {
	if before < 0 {
		return
	}
	for _, w := range f.workers {
		waitIdle(b, w.cmd.Process.Pid)
	}
	time.Sleep(2 * time.Second) // PostgreSQL's backends flush their counters within a second of going idle
	b.ReportMetric(float64(f.stateLoads(b)-before)/float64(workflows), "state_loads/workflow_"+phase)
}

// databaseSizes reports what the databases hold after the onboarding.
func (f *fleet) databaseSizes(b *testing.B) {
	for name, where := range f.databases {
		var mb float64
		if f.admin == "" {
			for _, suffix := range []string{"", "-wal"} {
				if info, err := os.Stat(where + suffix); err == nil {
					mb += float64(info.Size()) / (1 << 20)
				}
			}
		} else {
			db, err := sql.Open("pgx", f.admin)
			if err != nil {
				b.Fatal(err)
			}
			var bytes int64
			err = db.QueryRow("SELECT pg_database_size($1)", databaseName(where)).Scan(&bytes)
			_ = db.Close()
			if err != nil {
				b.Fatal(err)
			}
			mb = float64(bytes) / (1 << 20)
		}
		b.ReportMetric(mb, "MB_db_"+name)
	}
}

// decisionsDuringSweep is how many decisions are timed during the daily sweep.
const decisionsDuringSweep = 100

// dailySweep takes a hundred recommendations to a customer's decision, then
// sweeps every tenant as the daily schedule does while the customers approve
// those decisions one after another, and reports the sweep's duration, its
// Graph requests (per tenant, and the most in any 10 seconds against Graph's
// per-app limit of 130,000), and the decisions' latency.
func (f *fleet) dailySweep(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	f.awaitCriticalDecisions(b, ctx, 0, decisionsDuringSweep)
	for _, w := range f.workers {
		waitIdle(b, w.cmd.Process.Pid)
	}
	customer := f.slackSim.Interactions(fmt.Sprintf("http://127.0.0.1:%d/slack/interactions", f.gwPort), testSlackSigningSecret)
	messages := make([]slacksim.Message, decisionsDuringSweep)
	for i := range messages {
		tenant, control := f.recommendation(i)
		messages[i] = decisionMessage(b, f.slackSim, fmt.Sprintf("C0T%03d", i/controlsPerTenant+1), lifecycle.RecommendationWorkflowID(tenant, control))
	}

	f.changeControls()

	// The sweep's own requests are counted on the tenants without a decision:
	// an approval's RFC writes its comment to Graph, and checks it later.
	undecided := f.tenants[(decisionsDuringSweep+controlsPerTenant-1)/controlsPerTenant:]
	graphBefore, sweepBefore, cpuBefore, loadsBefore, start := f.graphRequests(), f.requestsOf(undecided), f.cpu(b), f.stateLoads(b), time.Now()
	peak := f.watchGraphPeak(ctx)
	var swept atomic.Int64 // when every tenant's sweep had ended, in ns since start
	sweeping := make(chan struct{})
	var results []lifecycle.SweepResult
	go func() {
		defer close(sweeping)
		results = f.sweepAll(b, ctx, "daily")
		swept.Store(int64(time.Since(start)))
	}()
	f.armed.Store(true)
	var latencies []float64
	clicks := make([]time.Time, decisionsDuringSweep)
	during := 0
	stepsBefore := scrapeSteps(b, f.gateways)
	for i := range decisionsDuringSweep {
		tenant, control := f.recommendation(i)
		workflowID := lifecycle.RecommendationWorkflowID(tenant, control)
		clicked := time.Now()
		clicks[i] = clicked
		code, body, err := customer.Click(slacksim.User{ID: "U0CUSTOMER1", Name: "chris"}, messages[i], slack.ActionApprove, workflowID)
		if err != nil || code != http.StatusOK {
			b.Fatalf("click on %s: %d %s %v", workflowID, code, body, err)
		}
		latency := f.untilRFC(b, ctx, clicked, workflowID)
		latencies = append(latencies, latency)
		if latency > 500 {
			b.Logf("decision %d (%s) %.0f ms, %.1f s into the sweep: %s", i, workflowID, latency, clicked.Sub(start).Seconds(),
				f.timeline(b, ctx, workflowID, clicked))
		}
		if swept.Load() == 0 {
			during++
		}
		time.Sleep(250 * time.Millisecond) // spread over the sweep, as customers' clicks come
	}
	reportStepMeans(b, stepsBefore, scrapeSteps(b, f.gateways))
	f.armed.Store(false)
	<-sweeping
	for _, w := range f.workers {
		waitIdle(b, w.cmd.Process.Pid)
	}
	settled := time.Since(start)
	requests := f.requestsOf(undecided) - sweepBefore
	p50, p99 := percentiles(latencies)
	b.ReportMetric(time.Duration(swept.Load()).Seconds(), "s_sweep")
	b.ReportMetric(settled.Seconds(), "s_sweep_settled")
	b.ReportMetric(float64(requests)/float64(len(undecided)), "graph_requests/tenant")
	b.ReportMetric(float64(f.graphRequests()-graphBefore), "graph_requests")
	b.ReportMetric(float64(peak()), "graph_requests_peak/10s")
	b.ReportMetric(p50, "ms_decision_p50")
	b.ReportMetric(p99, "ms_decision_p99")
	b.ReportMetric(float64(during), "decisions_during_sweep")
	delivered, unchanged := 0, 0
	for _, r := range results {
		delivered, unchanged = delivered+len(r.Started)+len(r.Fed)+len(r.Closed), unchanged+len(r.Unchanged)
	}
	// A tenant's sweep carries its snapshot through the history: its size
	// is the sweep's cost to Temporal's database (the last tenant's, whose
	// recommendations had no decision).
	described, err := f.client.DescribeWorkflowExecution(ctx, lifecycle.SweepScheduleID(f.ids[len(f.ids)-1])+"/daily", "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(described.GetWorkflowExecutionInfo().GetHistorySizeBytes())/1024, "KB_history/sweep")
	b.ReportMetric(float64(delivered), "observations_delivered")
	b.ReportMetric(float64(unchanged), "observations_unchanged")
	f.reportProcesses(b, "sweep", cpuBefore, len(f.ids)*controlsPerTenant)
	f.reportStateLoads(b, "sweep", loadsBefore, len(f.ids)*controlsPerTenant)
	// Last: reading the decisions' histories would count as the sweep's loads.
	b.ReportMetric(float64(f.stickyDecisions(b, ctx, clicks)), "decisions_on_sticky_worker")
}

// timeline is a decision's slow path: the last events of the workflow's
// history, each with its milliseconds after the click.
func (f *fleet) timeline(b *testing.B, ctx context.Context, workflowID string, clicked time.Time) string {
	events := historyEvents(b, ctx, f.client, workflowID, "")
	var out strings.Builder
	for _, e := range events[max(0, len(events)-16):] {
		fmt.Fprintf(&out, "%s %+d; ", strings.TrimPrefix(e.GetEventType().String(), "EVENT_TYPE_"), e.GetEventTime().AsTime().Sub(clicked).Milliseconds())
	}
	return out.String()
}

// stickyDecisions counts the decisions whose workflow task went to the
// worker that had the workflow cached (its sticky queue); the others were
// replayed from their history by whichever worker took the task.
func (f *fleet) stickyDecisions(b *testing.B, ctx context.Context, clicks []time.Time) int {
	sticky := 0
	for i, clicked := range clicks {
		tenant, control := f.recommendation(i)
		for _, e := range historyEvents(b, ctx, f.client, lifecycle.RecommendationWorkflowID(tenant, control), "") {
			if task := e.GetWorkflowTaskScheduledEventAttributes(); task != nil && e.GetEventTime().AsTime().After(clicked) {
				if task.GetTaskQueue().GetKind() == enumspb.TASK_QUEUE_KIND_STICKY {
					sticky++
				}
				break
			}
		}
	}
	return sticky
}

// changedPerDay is how many of a tenant's 80 controls change between two
// daily sweeps in the benchmark: 5%, a guess at a fleet's daily churn (a
// score moving as a change rolls out to more users). The sweep delivers only
// what changed; a day on which every control changed costs what the sweep
// of run 25 in BENCHMARKS.md did, which delivered everything.
const changedPerDay = 4

// changeControls gives changedPerDay controls of each tenant a partial
// score, spread over the tenant's controls; each stays open.
func (f *fleet) changeControls() {
	for i, t := range f.tenants {
		for k := range changedPerDay {
			// Control j has a maximum score of 1 + j%10: these have 2 or more.
			j := 1 + i%9 + k*controlsPerTenant/changedPerDay
			f.graphSim.SetScore(t.AzureTenantID, t.Profiles[j].ID, 1)
		}
	}
}

// requestsOf is the Graph calls these tenants have made so far.
func (f *fleet) requestsOf(tenants []*sim.Tenant) int {
	total := 0
	for _, t := range tenants {
		total += f.graphSim.Requests(t.AzureTenantID)
	}
	return total
}

// watchGraphPeak samples Graph's request count every second until ctx ends;
// peak is the most requests in any 10 seconds so far.
func (f *fleet) watchGraphPeak(ctx context.Context) (peak func() int) {
	var mu sync.Mutex
	samples, most := []int{f.graphRequests()}, 0
	go func() {
		for ctx.Err() == nil {
			time.Sleep(time.Second)
			mu.Lock()
			samples = append(samples, f.graphRequests())
			last := len(samples) - 1
			most = max(most, samples[last]-samples[max(0, last-10)])
			mu.Unlock()
		}
	}()
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return most
	}
}

// dashboardPages times the MSP's overview of every tenant and one tenant's
// page, fifty requests each after one to warm up.
func (f *fleet) dashboardPages(b *testing.B) {
	staff := f.dashboardSession(b, len(f.tenants))
	for _, p := range []struct{ name, path string }{{"overview", "/"}, {"tenant", "/tenants/" + f.ids[len(f.ids)/2]}} {
		var latencies []float64
		for i := range 51 {
			start := time.Now()
			code, _ := page(b, staff, f.dashboardURL+p.path)
			if code != http.StatusOK {
				b.Fatalf("%s answered %d", p.path, code)
			}
			if i > 0 {
				latencies = append(latencies, float64(time.Since(start).Microseconds())/1000)
			}
		}
		p50, p99 := percentiles(latencies)
		b.ReportMetric(p50, "ms_"+p.name+"_p50")
		b.ReportMetric(p99, "ms_"+p.name+"_p99")
	}
}
