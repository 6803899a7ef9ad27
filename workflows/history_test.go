package workflows

import (
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Every step of the audit trail reaches the store once, numbered in the
// chain, with the tickets of its moment.
func TestEveryStepReachesTheStoreOnce(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictNoImpact, "CON-1", false)
	h.verdict(3*time.Hour, "evt-3", lifecycle.VerdictRFCScheduled, "CON-101", false)
	h.verdict(4*time.Hour, "evt-4", lifecycle.VerdictRFCImplemented, "CON-101", false)
	h.observe(day, observation("sweep-1", 10, "Default"))
	final := h.run(adminMFA)

	steps := h.store.recordedSteps()
	if len(steps) != len(final.Transitions) {
		t.Fatalf("the store holds %d steps, the audit trail %d", len(steps), len(final.Transitions))
	}
	for seq, step := range steps {
		if step.Seq != seq || step.Transition != final.Transitions[seq] || step.TenantID != "contoso" || step.ControlID != "AdminMFAV2" {
			t.Errorf("step %d in the store = %+v, want %+v", seq, step, final.Transitions[seq])
		}
	}
	if steps[0].TicketKey != "" || steps[1].TicketKey != "CON-1" || steps[4].RFCKey != "CON-101" {
		t.Errorf("the steps' tickets: detected %q, triage %q, planned %q", steps[0].TicketKey, steps[1].TicketKey, steps[4].RFCKey)
	}
	// One write for the onboarding's two steps, then one a wait.
	if h.store.writes > len(final.Transitions)-1 {
		t.Errorf("%d writes for %d steps", h.store.writes, len(final.Transitions))
	}
}

// A store that does not answer holds up no decision: each is applied when
// it comes, and its steps reach the store once it is back. (Temporal's test
// environment gives an activity ten attempts, half an hour here: the store
// is back within that.)
func TestAStoreThatIsDownHoldsUpNoDecision(t *testing.T) {
	h := newHarness(t)
	h.store.setDown(true)
	var assessed, planned lifecycle.Stage
	h.verdict(5*time.Minute, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.stageAt(6*time.Minute, &assessed)
	h.verdict(10*time.Minute, "evt-2", lifecycle.VerdictNoImpact, "CON-1", false)
	h.stageAt(11*time.Minute, &planned)
	h.at(15*time.Minute, func() { h.store.setDown(false) })
	h.verdict(time.Hour, "evt-3", lifecycle.VerdictMitigatedElsewhere, "CON-1", true) // not in planned: refused
	h.verdict(2*time.Hour, "evt-4", lifecycle.VerdictRFCImplemented, "CON-101", false)
	h.observe(day, observation("sweep-1", 10, "Default"))
	final := h.run(adminMFA)

	if assessed != lifecycle.StageAssessment || planned != lifecycle.StagePlanned || final.Stage != lifecycle.StageCompleted {
		t.Fatalf("with the store down: assessment %s, planned %s, final %s", assessed, planned, final.Stage)
	}
	if steps := h.store.recordedSteps(); len(steps) != len(final.Transitions) {
		t.Errorf("once the store was back it held %d of the %d steps", len(steps), len(final.Transitions))
	}
}

// What is due after a step reaches the store with it, by the timings the
// workflow was started with, whatever the config says later: a critical
// decision's escalation, a risk's re-review, Microsoft's detection warning.
func TestStepsCarryTheDatesTheirWorkflowActsOn(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCriticalDecision, "CON-1", false)
	h.decide(3*time.Hour, "slack-1", lifecycle.DecisionAcceptRisk, "legacy admin tooling needs it", false)
	h.verdict(4*day, "evt-3", lifecycle.VerdictNoImpact, "CON-1", false) // after the re-review
	h.verdict(4*day+time.Hour, "evt-4", lifecycle.VerdictRFCImplemented, "CON-101", false)
	h.observe(5*day, observation("sweep-5", 10, "Default"))
	input := adminMFA
	input.Timings = lifecycle.Timings{EscalationAfter: 7 * time.Hour, RiskReviewAfter: 3 * day, DetectionWarningAfter: 2 * day}
	h.run(input)

	due := map[lifecycle.Stage]time.Duration{} // after the step
	for _, step := range h.store.recordedSteps() {
		if !step.Due.IsZero() {
			due[step.To] = step.Due.Sub(step.At)
		}
	}
	if due[lifecycle.StageAwaitingDecision] != 7*time.Hour {
		t.Errorf("the critical decision's escalation is due %v after it was asked, want the workflow's 7h", due[lifecycle.StageAwaitingDecision])
	}
	if got := due[lifecycle.StageRiskAccepted]; got < 3*day || got > 3*day+time.Minute {
		t.Errorf("the risk's re-review is due %v after its acceptance, want the workflow's 72h", got)
	}
	if due[lifecycle.StageAwaitingDetection] != 2*day {
		t.Errorf("Microsoft's detection is overdue %v after the change, want the workflow's 48h", due[lifecycle.StageAwaitingDetection])
	}
	if len(due) != 3 {
		t.Errorf("due dates after the steps to %v, want only these three", due)
	}
}
