package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// notes returns the ticket notes whose id contains part.
func (h *harness) notes(part string) []lifecycle.TicketNote {
	var found []lifecycle.TicketNote
	for _, n := range h.tickets.notes {
		if strings.Contains(n.NoteID, part) {
			found = append(found, n)
		}
	}
	return found
}

// steps returns the audit trail's reasons that contain text.
func steps(st lifecycle.RecommendationState, text string) []lifecycle.Transition {
	var found []lifecycle.Transition
	for _, t := range st.Transitions {
		if strings.Contains(t.Reason, text) {
			found = append(found, t)
		}
	}
	return found
}

// Defender for Endpoint's controls take no state in Graph: the lifecycle
// goes on without the write, the ticket says where to record it by hand,
// and the audit trail says the write was not possible.
func TestAStateGraphDoesNotTakeIsAskedForByHand(t *testing.T) {
	h := newHarness(t)
	input := adminMFA
	input.ControlID, input.ControlTitle = "scid_2010", "Turn on Microsoft Defender Antivirus"
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictMitigatedElsewhere, "CON-1", false)
	var openWhileNotRecorded bool
	h.observe(day, observation("sweep-1", 0, "Default"))
	h.at(day+time.Hour, func() { openWhileNotRecorded = !h.env.IsWorkflowCompleted() })
	h.observe(2*day, observation("sweep-2", 0, "reviewed"))
	final := h.run(input)

	if final.Stage != lifecycle.StageResolvedAlternate || len(h.graph.patches) != 0 {
		t.Fatalf("final stage %s after %d PATCHes, want resolved_alternate without a PATCH", final.Stage, len(h.graph.patches))
	}
	if ended := h.env.Now().Sub(h.start); !openWhileNotRecorded || ended < 2*day {
		t.Errorf("open while the state was not recorded: %v; ended %s after the start, want with the sweep on day 2", openWhileNotRecorded, ended)
	}
	if recorded := steps(final, "was recorded by hand"); len(recorded) != 1 || recorded[0].From != lifecycle.StageResolvedAlternate {
		t.Errorf("the record by hand is not in the audit trail: %+v", final.Transitions)
	}
	if len(h.tickets.closures) != 1 {
		t.Errorf("ticket closures %+v, want the ticket closed once", h.tickets.closures)
	}
	byHand := h.notes("graph-by-hand")
	if len(byHand) != 1 || byHand[0].Kind != lifecycle.NoteStateByHand || byHand[0].Write.Portal != lifecycle.PortalVulnerabilityManagement || byHand[0].State != "Reviewed" {
		t.Errorf("ticket notes asking for the state by hand: %q", byHand)
	}
	if found := steps(final, "Graph did not take the state Reviewed"); len(found) != 1 || found[0].From != lifecycle.StageTriage {
		t.Errorf("the audit trail does not say the write was not possible: %+v", final.Transitions)
	}
}

// A PATCH refused with 403 is not retried without end: the risk is accepted,
// the specialist records it by hand, and the sweep seeing that record is
// not mistaken for a change outside scoreflow.
func TestARefusedPatchIsRecordedByHandAndItsRecordIsNoOutsideChange(t *testing.T) {
	h := newHarness(t)
	h.graph.refuse = 403
	var accepted, afterRecord lifecycle.Stage
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCustomerDecision, "CON-1", false)
	h.decide(3*time.Hour, "slack-1", lifecycle.DecisionAcceptRisk, "legacy tooling", false)
	h.stageAt(4*time.Hour, &accepted)
	h.observe(day, observation("sweep-1", 0, "Default"))
	h.observe(2*day, observation("sweep-2", 0, "ignored")) // recorded by hand, in another case
	h.stageAt(2*day+time.Hour, &afterRecord)
	h.observe(3*day, observation("sweep-3", 10, "Ignored"))
	final := h.run(adminMFA)

	if accepted != lifecycle.StageRiskAccepted || afterRecord != lifecycle.StageRiskAccepted {
		t.Fatalf("stages: after the decision %s, after the record by hand %s; want risk_accepted", accepted, afterRecord)
	}
	if byHand := h.notes("graph-by-hand"); len(byHand) != 1 || byHand[0].Write.Portal != lifecycle.PortalSecureScore || !strings.Contains(byHand[0].Write.Refused, "403") {
		t.Errorf("ticket notes asking for the state by hand: %q", byHand)
	}
	if len(steps(final, "was recorded by hand")) != 1 || len(steps(final, "state was set to")) != 0 {
		t.Errorf("the record by hand is not in the audit trail as such: %+v", final.Transitions)
	}
}

// Graph can accept a PATCH that its later reads never show. The first sweep
// after write_check_after reports it once, on the ticket and in the audit
// trail; meanwhile the old state is not taken for an outside change.
func TestAWriteThatDidNotStickIsReportedOnce(t *testing.T) {
	h := newHarness(t)
	h.graph.drop = true
	var waiting lifecycle.Stage
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCustomerDecision, "CON-1", false)
	h.decide(3*time.Hour, "slack-1", lifecycle.DecisionAcceptRisk, "legacy tooling", false)
	for d := 1; d <= 6; d++ {
		h.observe(time.Duration(d)*day, observation("sweep-"+string(rune('0'+d)), 0, "Default"))
	}
	h.stageAt(6*day+time.Hour, &waiting)
	h.observe(7*day, observation("sweep-7", 10, "Default"))
	final := h.run(adminMFA)

	if waiting != lifecycle.StageRiskAccepted {
		t.Fatalf("after the write did not stick the stage is %s, want risk_accepted", waiting)
	}
	if notes := h.notes("write-check"); len(notes) != 1 || notes[0].Kind != lifecycle.NoteWriteDidNotStick || notes[0].State != "Ignored" || notes[0].After != 3*day {
		t.Errorf("notes on the write that did not stick: %q", notes)
	}
	reported := steps(final, "did not stick")
	if len(reported) != 1 || reported[0].At.Sub(h.start) < 3*day {
		t.Errorf("the audit trail reports the write %d times, at %+v; want once, after 3 days", len(reported), reported)
	}
}

// A recommendation that ended with a write of its own stays open until the
// first sweep after the write's due time has checked it; a write that stuck
// adds nothing.
func TestAnEndedRecommendationWaitsForItsWriteToBeChecked(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictThirdParty, "CON-1", false)
	var openAfterTwoDays bool
	h.at(2*day, func() { openAfterTwoDays = !h.env.IsWorkflowCompleted() })
	h.observe(2*day+time.Hour, observation("sweep-2", 0, "ThirdParty"))
	h.observe(4*day, observation("sweep-4", 0, "ThirdParty"))
	final := h.run(adminMFA)

	if !openAfterTwoDays || final.Stage != lifecycle.StageResolvedThirdParty || final.WriteCheck != nil {
		t.Fatalf("open after two days %v, final stage %s, check %+v", openAfterTwoDays, final.Stage, final.WriteCheck)
	}
	if ended := h.env.Now().Sub(h.start); ended < 4*day || ended > 5*day {
		t.Errorf("the workflow ended %s after its start, want with the sweep on day 4", ended)
	}
	if len(h.notes("write-check")) != 0 || len(steps(final, "did not stick")) != 0 {
		t.Errorf("a write that stuck was reported: %+v", final.Transitions)
	}
}
