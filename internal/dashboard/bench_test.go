package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

// BenchmarkPages measures what a signed-in person waits for: the tenant page
// of a tenant with a year of history and 100 controls, and the MSP's
// overview, one control's page and the list of controls across
// SCOREFLOW_BENCH_DASHBOARD_TENANTS (default 1,000) such tenants, each as p50 and p99 over real HTTP requests, beside the p99 of a
// static file through the same server in the same run. BENCHMARKS.md holds
// the results; reproduce them with
//
//	go test ./dashboard -run '^$' -bench Pages -benchtime 1x -timeout 30m
//
// PostgreSQL is measured too when SCOREFLOW_TEST_POSTGRES is set.
func BenchmarkPages(b *testing.B) {
	tenants := 1000
	if v, err := strconv.Atoi(os.Getenv("SCOREFLOW_BENCH_DASHBOARD_TENANTS")); err == nil && v > 0 {
		tenants = v
	}
	backends := []struct{ name, dsn string }{{"sqlite", ""}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		backends = append(backends, struct{ name, dsn string }{"postgres", storetest.Postgres(b)})
	}
	for _, backend := range backends {
		b.Run(fmt.Sprintf("%s/tenants=%d", backend.name, tenants), func(b *testing.B) {
			h := newHarnessOf(b, backend.dsn, benchTenantsYAML(tenants))
			start := time.Now()
			for i := range tenants {
				h.seedYear(benchTenantID(i))
			}
			seeded := time.Since(start)
			client := h.browser(true)
			if page, _ := h.signIn(client, 1); page.StatusCode != http.StatusOK {
				b.Fatalf("the MSP's sign-in ended with %d", page.StatusCode)
			}
			for b.Loop() {
				b.ReportMetric(seeded.Seconds(), "s_to_seed")
				static := h.latencies(client, "/static/dashboard.css", 500)
				tenant := h.latencies(client, "/tenants/"+benchTenantID(0), 200)
				overview := h.latencies(client, "/", 50)
				control := h.latencies(client, "/controls/control007", 200)
				controls := h.latencies(client, "/controls", 20)
				b.ReportMetric(percentile(static, 99), "static_ms_p99")
				b.ReportMetric(percentile(tenant, 50), "tenant_ms_p50")
				b.ReportMetric(percentile(tenant, 99), "tenant_ms_p99")
				b.ReportMetric(percentile(tenant, 99)/percentile(static, 99), "tenant_x_static")
				b.ReportMetric(percentile(overview, 50), "overview_ms_p50")
				b.ReportMetric(percentile(overview, 99), "overview_ms_p99")
				b.ReportMetric(percentile(overview, 99)/percentile(static, 99), "overview_x_static")
				b.ReportMetric(percentile(control, 50), "control_ms_p50")
				b.ReportMetric(percentile(control, 99), "control_ms_p99")
				b.ReportMetric(percentile(control, 99)/percentile(static, 99), "control_x_static")
				b.ReportMetric(percentile(controls, 50), "controls_ms_p50")
				b.ReportMetric(percentile(controls, 99), "controls_ms_p99")
			}
		})
	}
}

func benchTenantID(i int) string { return fmt.Sprintf("t%04d", i) }

// benchTenantsYAML configures the tenants; the first is in Contoso's directory.
func benchTenantsYAML(n int) string {
	var yaml strings.Builder
	for i := range n {
		directory := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		if i == 0 {
			directory = contosoDirectory
		}
		fmt.Fprintf(&yaml, "\n  - {id: %s, name: Tenant %04d, azure_tenant_id: %s, products: [AzureAD], jira_project: T%04d, slack_channel: C%04d, approvers: [U0CUSTOMER]}",
			benchTenantID(i), i, directory, i, i)
	}
	return yaml.String() + "\n"
}

// seedYear records a year of a tenant as its sweeps and workflows would: a
// score every day, 100 controls of which one in four reached its maximum
// during the year, a state update on one in ten, and the steps of a
// recommendation for each control, a third of them still open.
func (h *harness) seedYear(tenant string) {
	const controls = 100
	ctx := context.Background()
	first := h.now.AddDate(-1, 0, 0).Truncate(24 * time.Hour)
	var days []store.TenantDay
	for d := first; !d.After(h.now); d = d.AddDate(0, 0, 1) {
		days = append(days, store.TenantDay{Day: d, CurrentScore: 300 + float64(len(days))/3, MaxScore: 700,
			EnabledServices: []string{"HasAADP2"}, Comparisons: []lifecycle.Comparison{{Basis: "AllTenants", AverageScore: 350}}})
	}
	var rows []store.ControlDay
	var updates []store.StateUpdate
	var steps []lifecycle.TransitionRecord
	person := lifecycle.Person{ID: "specialist", Name: "Sam Specialist"}
	for c := range controls {
		id := fmt.Sprintf("control%03d", c)
		row := store.ControlDay{ControlID: id, Day: first, Title: "Recommendation " + id, Service: "AzureAD", MaxScore: float64(1 + c%10), State: "Default"}
		rows = append(rows, row)
		detected := first.AddDate(0, 0, c%300)
		stages := []lifecycle.Stage{lifecycle.StageDetected, lifecycle.StageTriage, lifecycle.StageAssessment, lifecycle.StageAwaitingDecision}
		switch c % 3 {
		case 0:
			stages = append(stages, lifecycle.StagePlanned, lifecycle.StageAwaitingDetection, lifecycle.StageCompleted)
		case 1:
			stages = append(stages, lifecycle.StageRiskAccepted)
		}
		from := lifecycle.Stage("")
		for seq, to := range stages {
			steps = append(steps, lifecycle.TransitionRecord{TenantID: tenant, ControlID: id, WorkflowID: lifecycle.RecommendationWorkflowID(tenant, id),
				ChainID: "chain-" + id, RunID: "chain-" + id, Seq: seq, TicketKey: "T-" + id, Critical: c%7 == 0,
				Transition: lifecycle.Transition{At: detected.AddDate(0, 0, 2*seq), From: from, To: to, By: person, Source: lifecycle.SourceJiraWebhook, Reason: "step " + string(to)}})
			from = to
		}
		if c%4 == 0 {
			done := row
			done.Day, done.Score = detected.AddDate(0, 0, 20), done.MaxScore
			rows = append(rows, done)
		}
		if c%10 == 0 {
			updates = append(updates, store.StateUpdate{ControlID: id, At: detected.AddDate(0, 0, 10), State: "Ignored", By: "admin@" + tenant, Comment: "risk accepted"})
		}
	}
	if err := h.data.RecordDays(ctx, tenant, days, rows, updates); err != nil {
		h.t.Fatal(err)
	}
	if err := h.data.RecordTransitions(ctx, steps); err != nil {
		h.t.Fatal(err)
	}
}

// latencies requests a path n times in a row and returns each request's
// time in milliseconds; any answer but 200 fails the benchmark.
func (h *harness) latencies(client *http.Client, path string, n int) []float64 {
	times := make([]float64, 0, n)
	for range n {
		start := time.Now()
		page, body := h.get(client, h.web.URL+path)
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		if page.StatusCode != http.StatusOK || len(body) == 0 {
			h.t.Fatalf("%s answered %d", path, page.StatusCode)
		}
	}
	return times
}

// percentile is the p-th percentile of the samples, nearest rank.
func percentile(samples []float64, p float64) float64 {
	sorted := slices.Sorted(slices.Values(samples))
	rank := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}
