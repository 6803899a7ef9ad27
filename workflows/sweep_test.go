package workflows

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func sweepEnv(t *testing.T) (*testsuite.TestWorkflowEnvironment, *activities.SecureScore, *activities.Sweep) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	graphActs, sweepActs, history := &activities.SecureScore{}, &activities.Sweep{}, &activities.History{}
	env.RegisterActivity(graphActs)
	env.RegisterActivity(sweepActs)
	env.RegisterActivity(history)
	env.RegisterActivity(&activities.Alerts{}) // no store: no history to compare, no alert
	// The store backfills the tenant's 90 days if it has none, then records
	// the snapshot the sweep read, each once.
	env.OnActivity(history.BackfillDays, mock.Anything, mock.Anything).Return(0, nil).Once()
	env.OnActivity(history.RecordSnapshot, mock.Anything, mock.Anything).Return(nil).Once()
	return env, graphActs, sweepActs
}

var snapshot = lifecycle.TenantSnapshot{
	TenantID: "contoso", TakenAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), GraphRequests: 4,
	Controls: []lifecycle.ControlSummary{
		{ID: "AdminMFAV2", Title: "Require MFA for administrative roles", MaxScore: 10, Open: true,
			Facts: lifecycle.ControlFacts{Service: "AzureAD", UserImpact: "Moderate", Remediation: "<p>Require MFA for every admin.</p>"}},
		{ID: "OneAdmin", Title: "Designate more than one global admin", Score: 1, MaxScore: 1},
		{ID: "RoleOverlap", Title: "Use limited administrative roles", MaxScore: 1, Open: true},
	},
}

func TestTenantSweepReadsGraphOnceAndDeliversToEveryRecommendation(t *testing.T) {
	env, graphActs, sweepActs := sweepEnv(t)
	env.OnActivity(graphActs.FetchSnapshot, mock.Anything, "contoso").Return(snapshot, nil).Once()
	report := lifecycle.DeliveryReport{Started: []string{"RoleOverlap"}, Fed: []string{"AdminMFAV2"}}
	var sweepID string
	env.OnActivity(sweepActs.DeliverObservations, mock.Anything, snapshot, mock.Anything).
		Run(func(args mock.Arguments) { sweepID = args.String(2) }).Return(report, nil).Once()
	stored := map[string]lifecycle.TenantSnapshot{}
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		if name := info.ActivityType.Name; name == "RecordSnapshot" || name == "BackfillDays" {
			var s lifecycle.TenantSnapshot
			if err := args.Get(&s); err != nil {
				t.Errorf("%s's input: %v", name, err)
			}
			stored[name] = s
		}
	})

	env.ExecuteWorkflow(TenantSweep, lifecycle.SweepInput{TenantID: "contoso"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	// The delivery got every fact (the mock matched the whole snapshot); the
	// store's activities get the controls with their service only.
	for name, s := range stored {
		if len(s.Controls) != 3 || !reflect.DeepEqual(s.Controls[0].Facts, lifecycle.ControlFacts{Service: "AzureAD"}) || s.Controls[0].Score != 0 || s.Controls[0].MaxScore != 10 {
			t.Errorf("%s got %+v, want the controls with their service as the only fact", name, s.Controls)
		}
	}
	if len(stored) != 2 {
		t.Errorf("the store's activities started: %v, want RecordSnapshot and BackfillDays", stored)
	}
	var result lifecycle.SweepResult
	if err := env.GetWorkflowResult(&result); err != nil {
		t.Fatal(err)
	}
	if result.InScope != 3 || len(result.Open) != 2 || result.GraphRequests != 4 || len(result.Started) != 1 || len(result.Fed) != 1 {
		t.Errorf("result = %+v", result)
	}
	if sweepID == "" {
		t.Error("the observations carry no sweep id to deduplicate them")
	}
	env.AssertExpectations(t)
}

func TestTenantSweepWaitsOutGraphThrottlingAndLosesNothing(t *testing.T) {
	env, graphActs, sweepActs := sweepEnv(t)
	var calls []time.Time
	throttled := temporal.NewApplicationErrorWithOptions("Graph answered 429", "GraphThrottled",
		temporal.ApplicationErrorOptions{NextRetryDelay: 10 * time.Minute})
	env.OnActivity(graphActs.FetchSnapshot, mock.Anything, "contoso").
		Run(func(mock.Arguments) { calls = append(calls, env.Now()) }).Return(lifecycle.TenantSnapshot{}, throttled).Twice()
	env.OnActivity(graphActs.FetchSnapshot, mock.Anything, "contoso").
		Run(func(mock.Arguments) { calls = append(calls, env.Now()) }).Return(snapshot, nil).Once()
	env.OnActivity(sweepActs.DeliverObservations, mock.Anything, snapshot, mock.Anything).
		Return(lifecycle.DeliveryReport{Started: []string{"AdminMFAV2", "RoleOverlap"}}, nil).Once()

	env.ExecuteWorkflow(TenantSweep, lifecycle.SweepInput{TenantID: "contoso"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 {
		t.Fatalf("Graph was read %d times, want 3", len(calls))
	}
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].Sub(calls[i-1]); gap < 10*time.Minute {
			t.Errorf("retry %d came after %s, before Graph's Retry-After of 10m", i, gap)
		}
	}
	var result lifecycle.SweepResult
	_ = env.GetWorkflowResult(&result)
	if len(result.Started) != 2 {
		t.Errorf("after throttling the sweep started %v", result.Started)
	}
}

func TestTenantSweepStopsOnAnUnknownTenant(t *testing.T) {
	env, graphActs, _ := sweepEnv(t)
	env.OnActivity(graphActs.FetchSnapshot, mock.Anything, "nobody").
		Return(lifecycle.TenantSnapshot{}, temporal.NewNonRetryableApplicationError("tenant \"nobody\" is not configured", "UnknownTenant", nil)).Once()
	env.ExecuteWorkflow(TenantSweep, lifecycle.SweepInput{TenantID: "nobody"})
	if err := env.GetWorkflowError(); err == nil {
		t.Fatal("a sweep of an unknown tenant succeeded")
	}
}
