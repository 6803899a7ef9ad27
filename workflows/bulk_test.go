package workflows

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// fakeVerdicts takes verdicts as a recommendation per tenant would, and
// counts how many are in flight at once.
type fakeVerdicts struct {
	mu             sync.Mutex
	inFlight, most int
	got            map[string][]string // tenant: event ids
}

func (f *fakeVerdicts) SendVerdict(_ context.Context, tenantID, _ string, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error) {
	f.mu.Lock()
	f.inFlight++
	f.most = max(f.most, f.inFlight)
	f.got[tenantID] = append(f.got[tenantID], v.EventID)
	f.mu.Unlock()
	time.Sleep(2 * time.Millisecond)
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
	if tenantID == "t07" {
		return lifecycle.MessageResult{}, fmt.Errorf("%w: in stage planned", lifecycle.ErrRefused)
	}
	return lifecycle.MessageResult{Stage: lifecycle.StageResolvedThirdParty}, nil
}

// A bulk verdict delivers once to each tenant, a few at a time, and
// reports each tenant's outcome: delivered, or skipped and why.
func TestABulkVerdictDeliversToEachTenantAFewAtATime(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	verdicts := &fakeVerdicts{got: map[string][]string{}}
	env.RegisterActivity(&activities.Bulk{Verdicts: verdicts})
	in := lifecycle.BulkVerdictInput{BulkID: "b1", ControlID: "AdminMFAV2", Verdict: lifecycle.VerdictThirdParty, By: specialist}
	for i := range 30 {
		in.TenantIDs = append(in.TenantIDs, fmt.Sprintf("t%02d", i))
	}
	env.ExecuteWorkflow(BulkVerdict, in)
	var outcomes []lifecycle.BulkOutcome
	if err := env.GetWorkflowResult(&outcomes); err != nil {
		t.Fatal(err)
	}
	for i, o := range outcomes {
		want := lifecycle.BulkOutcome{TenantID: in.TenantIDs[i], Outcome: lifecycle.BulkDelivered, Stage: lifecycle.StageResolvedThirdParty}
		if o.TenantID == "t07" {
			want = lifecycle.BulkOutcome{TenantID: "t07", Outcome: lifecycle.BulkSkipped, Why: "refused by the recommendation: in stage planned"}
		}
		if o != want {
			t.Errorf("outcome %d = %+v, want %+v", i, o, want)
		}
		if got := verdicts.got[o.TenantID]; len(got) != 1 || got[0] != "bulk-b1-"+o.TenantID {
			t.Errorf("%s got the verdicts %v", o.TenantID, got)
		}
	}
	if verdicts.most > bulkAtOnce || verdicts.most < 2 {
		t.Errorf("%d deliveries in flight at most, want between 2 and %d", verdicts.most, bulkAtOnce)
	}
}
