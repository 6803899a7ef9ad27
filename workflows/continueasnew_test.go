package workflows

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/lifecycle"
)

func TestYearOfWaitingForDetectionContinuesAsNewWithItsState(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictNoImpact, "CON-1", false)
	h.verdict(3*time.Hour, "evt-3", lifecycle.VerdictRFCImplemented, "CON-101", false)
	for d := 1; d <= 365; d++ {
		h.observe(time.Duration(d)*day, observation(fmt.Sprintf("sweep-%d", d), 0, "Default"))
	}
	h.env.ExecuteWorkflow(lifecycle.RecommendationWorkflowType, adminMFA)

	var canError *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &canError) {
		t.Fatalf("a year of daily sweeps did not continue as new: %v", err)
	}
	var next lifecycle.RecommendationInput
	if err := converter.GetDefaultDataConverter().FromPayloads(canError.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Observation.SweepID != "" || len(next.PreAssessment.Reasons) != 0 {
		t.Errorf("the next run's input repeats the start's observation or pre-assessment: %+v, %+v", next.Observation, next.PreAssessment)
	}
	carried := next.Resume
	if carried == nil || carried.Stage != lifecycle.StageAwaitingDetection || carried.TicketKey != "CON-1" ||
		carried.RFCKey != "CON-101" || !carried.DetectionWarned || carried.Runs != 1 || len(carried.Transitions) != 6 {
		t.Fatalf("state carried to the next run = %+v", carried)
	}
	if carried.LastObservation == nil || carried.LastObservation.SweepID == "" {
		t.Error("the latest observation was not carried")
	}

	// The next run picks up where the first stopped: the deadline passed, the
	// warning is not repeated, and detection completes it.
	h2 := newHarness(t)
	h2.observe(day, observation("sweep-next", 10, "Default"))
	final := h2.run(next)
	if final.Stage != lifecycle.StageCompleted || len(h2.tickets.opened) != 0 || len(h2.tickets.notes) != 0 {
		t.Errorf("resumed run: stage %s, reopened tickets %d, notes %+v", final.Stage, len(h2.tickets.opened), h2.tickets.notes)
	}
}
