package workflows

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
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

// A state asked for by hand and never recorded keeps the ended
// recommendation open through months of sweeps: it continues as new like
// any other, and the next run neither closes its ticket nor tells the
// customer again, and ends when the record comes.
func TestMonthsOfWaitingForAStateByHandContinueAsNewWithoutFinishingTwice(t *testing.T) {
	h := newHarness(t)
	input := adminMFA
	input.ControlID = "scid_2010"
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictMitigatedElsewhere, "CON-1", false)
	for d := 1; d <= 200; d++ {
		h.observe(time.Duration(d)*day, observation(fmt.Sprintf("sweep-%d", d), 0, "Default"))
	}
	h.env.ExecuteWorkflow(lifecycle.RecommendationWorkflowType, input)

	var canError *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &canError) {
		t.Fatalf("months of sweeps did not continue as new: %v", err)
	}
	var next lifecycle.RecommendationInput
	if err := converter.GetDefaultDataConverter().FromPayloads(canError.Input, &next); err != nil {
		t.Fatal(err)
	}
	if carried := next.Resume; carried == nil || carried.Stage != lifecycle.StageResolvedAlternate ||
		carried.ByHandState != "Reviewed" || !carried.Finished {
		t.Fatalf("state carried to the next run = %+v", carried)
	}
	if len(h.tickets.closures) != 1 {
		t.Errorf("first run: ticket closures %+v, want one", h.tickets.closures)
	}

	h2 := newHarness(t)
	h2.observe(day, observation("sweep-next", 0, "Reviewed"))
	final := h2.run(next)
	if final.ByHandState != "" || len(steps(final, "was recorded by hand")) != 1 || len(h2.tickets.closures) != 0 {
		t.Errorf("resumed run: by hand %q, closures %+v, steps %+v", final.ByHandState, h2.tickets.closures, final.Transitions)
	}
}
