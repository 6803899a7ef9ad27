package workflows

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/scoreflow/scoreflow/lifecycle"
)

func TestRecommendationRecordsEachSweepOnce(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	first := lifecycle.ControlObservation{SweepID: "sweep-1", Present: true, MaxScore: 10, Open: true}
	second := lifecycle.ControlObservation{SweepID: "sweep-2", Present: true, Score: 2, MaxScore: 10, Open: true}
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(lifecycle.SignalObservation, first) }, time.Hour)
	// The same sweep's delivery retried, carrying what it carried before.
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(lifecycle.SignalObservation, first) }, 2*time.Hour)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(lifecycle.SignalObservation, second) }, 24*time.Hour)
	var states []lifecycle.RecommendationState
	for _, at := range []time.Duration{90 * time.Minute, 150 * time.Minute, 25 * time.Hour} {
		env.RegisterDelayedCallback(func() {
			value, err := env.QueryWorkflow(lifecycle.QueryState)
			if err != nil {
				t.Error(err)
				return
			}
			var state lifecycle.RecommendationState
			_ = value.Get(&state)
			states = append(states, state)
		}, at)
	}
	env.RegisterDelayedCallback(env.CancelWorkflow, 26*time.Hour)
	env.ExecuteWorkflow(RecommendationWorkflow, lifecycle.RecommendationInput{
		TenantID: "contoso", TenantName: "Contoso", ControlID: "AdminMFAV2", ControlTitle: "Require MFA for administrative roles",
	})
	if len(states) != 3 {
		t.Fatalf("queried %d states", len(states))
	}
	if states[0].Stage != lifecycle.StageDetected || states[0].LastObservation == nil || states[0].LastObservation.SweepID != "sweep-1" {
		t.Errorf("after the first sweep: %+v", states[0])
	}
	if states[1].LastObservation.SweepID != "sweep-1" {
		t.Errorf("a redelivered sweep changed the state: %+v", states[1].LastObservation)
	}
	if states[2].LastObservation.SweepID != "sweep-2" || states[2].LastObservation.Score != 2 {
		t.Errorf("the next day's sweep was not recorded: %+v", states[2].LastObservation)
	}
}
