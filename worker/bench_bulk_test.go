package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// The simulators' rate limits during a bulk verdict, in requests a second
// across all tenants: beyond them Graph and Jira answer 429 with
// Retry-After, as they do.
const (
	bulkGraphPerSecond = 100
	bulkJiraPerSecond  = 50
)

// BenchmarkBulkVerdict gives one verdict ("handled by a third party") on
// one control across SCOREFLOW_BENCH_BULK_TENANTS (default 1,000) tenants,
// with Graph and Jira throttling beyond their rate limits, and times it
// from its start until the bulk workflow has every tenant's outcome, and
// until Graph holds every tenant's state; beside it, in the same run, the
// time the sweeps took to start the same recommendations. BENCHMARKS.md
// holds the results:
//
//	go test ./worker -run '^$' -bench BulkVerdict -benchtime 1x -timeout 60m
func BenchmarkBulkVerdict(b *testing.B) {
	tenants := 1000
	if v, err := strconv.Atoi(os.Getenv("SCOREFLOW_BENCH_BULK_TENANTS")); err == nil && v > 0 {
		tenants = v
	}
	const control = "SyntheticControl001"
	e := newBenchEnvOf(b, tenants, 1)
	e.start(b, e.writeConfig(b, "bulk", "", filepath.Join(e.dir, "temporal.db"), defaults), defaults)
	defer e.stop(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	for b.Loop() {
		start := time.Now()
		e.sweepAll(b, ctx, "bulk")
		e.waitCount(b, ctx, lifecycle.StageTriage, tenants)
		onboarding := time.Since(start)

		e.graphSim.Faults.RateLimit(bulkGraphPerSecond)
		e.jiraSim.Faults.RateLimit(bulkJiraPerSecond)
		in := lifecycle.BulkVerdictInput{BulkID: fmt.Sprintf("bench-%d", time.Now().UnixNano()), ControlID: control,
			Verdict: lifecycle.VerdictThirdParty, TenantIDs: e.ids, By: lifecycle.Person{ID: "jane", Name: "Jane Specialist"}}
		start = time.Now()
		if err := (delivery.Client{Temporal: e.client}).StartBulkVerdict(ctx, "scoreflow", in); err != nil {
			b.Fatal(err)
		}
		var outcomes []lifecycle.BulkOutcome
		if err := e.client.GetWorkflow(ctx, lifecycle.BulkVerdictWorkflowID(in.BulkID), "").Get(ctx, &outcomes); err != nil {
			b.Fatal(err)
		}
		delivered := time.Since(start)
		for _, o := range outcomes {
			if o.Outcome != lifecycle.BulkDelivered {
				b.Fatalf("%s: %+v", o.TenantID, o)
			}
		}
		for !e.graphStatesWritten() {
			if ctx.Err() != nil {
				b.Fatal("Graph does not hold every tenant's state")
			}
			time.Sleep(100 * time.Millisecond)
		}
		written := time.Since(start)
		b.ReportMetric(delivered.Seconds(), "s_delivered")
		b.ReportMetric(written.Seconds(), "s_written")
		b.ReportMetric(onboarding.Seconds(), "s_onboarding")
		b.ReportMetric(written.Seconds()/onboarding.Seconds(), "x_onboarding")
		b.ReportMetric(float64(e.graphSim.Faults.Injected()+e.jiraSim.Faults.Injected()), "throttled")
		b.Logf("%d tenants: bulk verdict delivered in %s, Graph written in %s (onboarding %s); %d Graph and %d Jira requests throttled",
			tenants, delivered.Round(time.Millisecond), written.Round(time.Millisecond), onboarding.Round(time.Millisecond),
			e.graphSim.Faults.Injected(), e.jiraSim.Faults.Injected())
	}
}

// graphStatesWritten reports whether Graph took a state write of every tenant.
func (e *benchEnv) graphStatesWritten() bool {
	for _, t := range e.tenants {
		if e.graphSim.Patches(t.AzureTenantID) == 0 {
			return false
		}
	}
	return true
}
