package main

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// A bulk verdict over 100 tenants, with the worker killed midway: after the
// restart each recommendation has taken the verdict exactly once, Graph has
// one state write per tenant, and the bulk's outcome names each tenant.
func TestABulkVerdictSurvivesAWorkerKill(t *testing.T) {
	t.Parallel() // the kill leaves activities to time out: a minute or two of waiting
	const tenants, control = 100, "SyntheticControl001"
	e := newBenchEnvOf(t, tenants, 1)
	configPath := e.writeConfig(t, "bulk", "", filepath.Join(e.dir, "temporal.db"), defaults)
	e.start(t, configPath, defaults)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	e.sweepAll(t, ctx, "bulk")
	e.waitCount(t, ctx, lifecycle.StageTriage, tenants)

	var patches atomic.Int32
	var once sync.Once
	killed := make(chan struct{})
	e.graphSim.AfterPatch = func(string) {
		if patches.Add(1) == tenants/3 {
			once.Do(func() {
				_ = e.worker.cmd.Process.Signal(syscall.SIGKILL)
				<-e.worker.done
				close(killed)
			})
		}
	}
	in := lifecycle.BulkVerdictInput{BulkID: "third-party-everywhere", ControlID: control, Verdict: lifecycle.VerdictThirdParty,
		TenantIDs: e.ids, By: lifecycle.Person{ID: "jane", Name: "Jane Specialist"}}
	if err := (delivery.Client{Temporal: e.client}).StartBulkVerdict(ctx, "scoreflow", in); err != nil {
		t.Fatal(err)
	}
	select {
	case <-killed:
	case <-ctx.Done():
		t.Fatal("the bulk verdict never reached Graph")
	}
	e.client.Close()
	e.start(t, configPath, defaults)
	var outcomes []lifecycle.BulkOutcome
	if err := e.client.GetWorkflow(ctx, lifecycle.BulkVerdictWorkflowID(in.BulkID), "").Get(ctx, &outcomes); err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.Outcome != lifecycle.BulkDelivered {
			t.Errorf("%s: %+v, want delivered", o.TenantID, o)
		}
	}
	for i, tenant := range e.ids {
		workflowID := lifecycle.RecommendationWorkflowID(tenant, control)
		waitFor(t, ctx, func() bool {
			st, err := queryState(ctx, e.client, workflowID)
			return err == nil && st.Stage == lifecycle.StageResolvedThirdParty
		})
		st, _ := queryState(ctx, e.client, workflowID)
		taken := 0
		for _, step := range st.Transitions {
			if step.Source == lifecycle.SourceBulk {
				taken++
			}
		}
		if taken != 1 {
			t.Errorf("%s took the bulk verdict %d times: %+v", tenant, taken, st.Transitions)
		}
		if n := e.graphSim.Patches(e.tenants[i].AzureTenantID); n != 1 {
			t.Errorf("%s: Graph got %d state writes, want one", tenant, n)
		}
	}
	e.stop(t)
}
