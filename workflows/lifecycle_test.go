package workflows

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

const day = 24 * time.Hour

func TestTriageMitigatedElsewhereMarksReviewedAndEnds(t *testing.T) {
	h := newHarness(t)
	var triage lifecycle.Stage
	h.stageAt(time.Minute, &triage)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictMitigatedElsewhere, "CON-1", false)
	final := h.run(adminMFA)

	if triage != lifecycle.StageTriage {
		t.Errorf("after detection the stage is %s, want triage", triage)
	}
	if final.Stage != lifecycle.StageResolvedAlternate {
		t.Fatalf("final stage %s", final.Stage)
	}
	ticket := h.tickets.opened[0]
	if ticket.PreAssessment.UserImpact != "low" || !ticket.PreAssessment.SuggestCritical {
		t.Errorf("the ticket lacks the pre-assessment: %+v", ticket.PreAssessment)
	}
	patch := h.graph.patches[0]
	if len(h.graph.patches) != 1 || patch.State != "Reviewed" || !strings.Contains(patch.Comment, "CON-1") || !strings.Contains(patch.Comment, "Jane Specialist") {
		t.Errorf("Graph PATCHes = %+v", h.graph.patches)
	}
	if len(h.tickets.closures) != 1 || h.tickets.closures[0].Stage != lifecycle.StageResolvedAlternate {
		t.Errorf("tickets closed = %+v", h.tickets.closures)
	}
}

func TestTriageThirdParty(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictThirdParty, "CON-1", false)
	final := h.run(adminMFA)
	if final.Stage != lifecycle.StageResolvedThirdParty || h.graph.patches[0].State != "ThirdParty" {
		t.Errorf("stage %s, patches %+v", final.Stage, h.graph.patches)
	}
}

func TestNoImpactGoesStraightToRFCAndCompletesOnDetection(t *testing.T) {
	h := newHarness(t)
	var planned, waiting lifecycle.Stage
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictNoImpact, "CON-1", false)
	h.stageAt(3*time.Hour, &planned)
	h.verdict(day, "evt-3", lifecycle.VerdictRFCScheduled, "CON-101", false)
	h.verdict(2*day, "evt-4", lifecycle.VerdictRFCImplemented, "CON-101", false)
	h.stageAt(2*day+time.Hour, &waiting)
	h.observe(3*day, observation("sweep-3", 4, "Default")) // not detected yet
	h.observe(4*day, observation("sweep-4", 10, "Default"))
	final := h.run(adminMFA)

	if planned != lifecycle.StagePlanned || waiting != lifecycle.StageAwaitingDetection || final.Stage != lifecycle.StageCompleted {
		t.Fatalf("stages: planned=%s waiting=%s final=%s", planned, waiting, final.Stage)
	}
	if len(h.chat.requests) != 0 {
		t.Error("a no-impact change asked the customer")
	}
	if len(h.tickets.rfcs) != 1 || h.tickets.rfcs[0].TicketKey != "CON-1" {
		t.Errorf("RFCs = %+v", h.tickets.rfcs)
	}
	// Graph cannot say "Planned": the state stays Default and the comment names the RFC.
	if p := h.graph.patches[0]; p.State != "Default" || !strings.Contains(p.Comment, "CON-101") {
		t.Errorf("planned PATCH = %+v", p)
	}
	if closure := h.tickets.closures[0]; len(closure.TicketKeys) != 2 || !strings.Contains(closure.Outcome, "Microsoft detected") {
		t.Errorf("closure = %+v", closure)
	}
	if final.Transitions[len(final.Transitions)-1].Source != lifecycle.SourceSweep {
		t.Errorf("completion not attributed to the sweep: %+v", final.Transitions[len(final.Transitions)-1])
	}
}

func TestCriticalDecisionRemindsDailyEscalatesAfterThreeDaysThenApproval(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCriticalDecision, "CON-1", false)
	h.decide(2*time.Hour+100*time.Hour, "slack-1", lifecycle.DecisionApprove, "", false) // after 4 days and 4 hours
	h.verdict(5*day, "evt-3", lifecycle.VerdictRFCImplemented, "CON-101", false)
	h.observe(6*day, observation("sweep-6", 10, "Default"))
	final := h.run(adminMFA)

	if final.Stage != lifecycle.StageCompleted || !final.Critical {
		t.Fatalf("final = %s critical=%v", final.Stage, final.Critical)
	}
	if len(h.chat.requests) != 1 || !h.chat.requests[0].Critical {
		t.Fatalf("decision requests = %+v", h.chat.requests)
	}
	// Reminders 24h, 48h after asking; escalation naming the technical lead at 72h; reminder at 96h; the outcome.
	asked := 2 * time.Hour
	want := []struct {
		after    time.Duration
		escalate bool
	}{{day, false}, {2 * day, false}, {3 * day, true}, {4 * day, false}}
	if len(h.chat.replies) != len(want)+1 {
		t.Fatalf("thread replies = %d, want %d and the outcome: %+v", len(h.chat.replies), len(want), h.chat.replies)
	}
	for i, w := range want {
		if got := h.chat.replyAt[i] - asked; got != w.after || h.chat.replies[i].MentionTechnicalLead != w.escalate {
			t.Errorf("reply %d at %s (escalation %v), want %s (escalation %v)", i, got, h.chat.replies[i].MentionTechnicalLead, w.after, w.escalate)
		}
	}
	if last := h.chat.replies[len(h.chat.replies)-1]; last.ReplyID != "outcome" {
		t.Errorf("the customer was not told the outcome: %+v", last)
	}
	if len(h.chat.outcomes) != 1 || h.chat.outcomes[0].Decision.By.ID != customer.ID {
		t.Errorf("the decision message was not updated: %+v", h.chat.outcomes)
	}
	// By mail: the decision the day it is asked, the escalation once, each its own mail.
	if len(h.mail.decisions) != 1 || h.mail.decisions[0].ControlTitle != adminMFA.ControlTitle || !h.mail.decisions[0].Critical {
		t.Errorf("mailed decisions = %+v", h.mail.decisions)
	}
	if len(h.mail.escalations) != 1 || h.mail.escalations[0].Waited != 3*day {
		t.Errorf("mailed escalations = %+v", h.mail.escalations)
	}
	if len(h.mail.keys) != 2 || h.mail.keys[0] == h.mail.keys[1] {
		t.Errorf("the mails' keys %q are not one each", h.mail.keys)
	}
}

func TestAnApprovalOpensTheRFCWhileSlackCannotShowIt(t *testing.T) {
	h := newHarness(t)
	h.chat.downFor = 3*time.Hour + 10*time.Second // the retries after 5 and 10 seconds find it back
	var planned lifecycle.Stage
	var shownBeforeRFC int
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCriticalDecision, "CON-1", false)
	h.decide(3*time.Hour, "slack-1", lifecycle.DecisionApprove, "", false)
	h.stageAt(3*time.Hour+time.Second, &planned)
	h.at(3*time.Hour+time.Second, func() { shownBeforeRFC = len(h.chat.outcomes) })
	h.verdict(5*day, "evt-3", lifecycle.VerdictRFCImplemented, "CON-101", false)
	h.observe(6*day, observation("sweep-6", 10, "Default"))
	final := h.run(adminMFA)

	// The RFC is opened at once; the message shows the approval once Slack is back.
	if planned != lifecycle.StagePlanned || shownBeforeRFC != 0 || len(h.tickets.rfcs) != 1 {
		t.Errorf("a second after the approval: stage %s, %d decisions shown, %d RFCs; want planned, none shown yet, one RFC", planned, shownBeforeRFC, len(h.tickets.rfcs))
	}
	if len(h.chat.outcomes) != 1 || h.chat.outcomes[0].Decision.Decision != lifecycle.DecisionApprove {
		t.Errorf("the decision message shows %+v, want the approval once", h.chat.outcomes)
	}
	if final.Stage != lifecycle.StageCompleted {
		t.Errorf("final stage %s, want completed", final.Stage)
	}
}

func TestAcceptRiskNeedsAReasonRecordsIgnoredAndReopensAfter180Days(t *testing.T) {
	h := newHarness(t)
	var accepted, reopened lifecycle.Stage
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCustomerDecision, "CON-1", false)
	h.decide(3*time.Hour, "slack-1", lifecycle.DecisionAcceptRisk, "", true) // no reason: rejected
	h.decide(4*time.Hour, "slack-2", lifecycle.DecisionAcceptRisk, "legacy admin tooling needs it", false)
	h.stageAt(5*time.Hour, &accepted)
	h.observe(10*day, observation("sweep-10", 0, "Ignored")) // our own PATCH, seen by the sweep: not external
	h.stageAt(181*day, &reopened)
	h.verdict(182*day, "evt-3", lifecycle.VerdictThirdParty, "CON-1", true) // not in assessment's table
	h.verdict(182*day+time.Hour, "evt-4", lifecycle.VerdictNoImpact, "CON-1", false)
	h.verdict(183*day, "evt-5", lifecycle.VerdictRFCCancelled, "CON-101", false)
	h.verdict(184*day, "evt-6", lifecycle.VerdictNoImpact, "CON-1", false)
	h.verdict(185*day, "evt-7", lifecycle.VerdictRFCImplemented, "CON-102", false)
	h.observe(186*day, observation("sweep-186", 10, "Default"))
	final := h.run(adminMFA)

	var cancelledNote bool
	for _, n := range h.tickets.notes {
		cancelledNote = cancelledNote || (n.TicketKey == "CON-1" && n.Kind == lifecycle.NoteRFCCancelled && n.RFCKey == "CON-101")
	}
	if !cancelledNote {
		t.Error("the recommendation ticket does not say the RFC was cancelled")
	}
	if accepted != lifecycle.StageRiskAccepted || reopened != lifecycle.StageAssessment || final.Stage != lifecycle.StageCompleted {
		t.Fatalf("accepted=%s reopened=%s final=%s", accepted, reopened, final.Stage)
	}
	if len(h.chat.requests) != 0 {
		t.Error("a non-critical decision got a message of its own; it belongs in the digest")
	}
	ignored := h.graph.patches[0]
	if ignored.State != "Ignored" || !strings.Contains(ignored.Comment, "Chris Customer") || !strings.Contains(ignored.Comment, "legacy admin tooling") {
		t.Errorf("risk acceptance PATCH = %+v", ignored)
	}
	// The audit trail's step names who decided, and its reason is theirs alone.
	var acceptance []lifecycle.Transition
	for _, step := range final.Transitions {
		if step.To == lifecycle.StageRiskAccepted {
			acceptance = append(acceptance, step)
		}
	}
	if len(acceptance) != 1 || acceptance[0].Reason != "legacy admin tooling needs it" || acceptance[0].By.Name != "Chris Customer" {
		t.Errorf("the risk acceptance's steps: %+v", acceptance)
	}
	if reopen := h.graph.patches[1]; reopen.State != "Default" || !strings.Contains(reopen.Comment, "re-review") {
		t.Errorf("re-review PATCH = %+v", reopen)
	}
	if len(h.tickets.rfcs) != 2 || h.tickets.rfcs[1].Attempt != 2 {
		t.Errorf("RFCs after a cancellation = %+v", h.tickets.rfcs)
	}
}

func TestAlternativeImplementationEndsResolvedAlternate(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictCriticalDecision, "CON-1", false)
	h.decide(3*time.Hour, "slack-1", lifecycle.DecisionAlternative, "", false)
	h.verdict(day, "evt-3", lifecycle.VerdictRFCImplemented, "CON-101", false)
	final := h.run(adminMFA)
	if final.Stage != lifecycle.StageResolvedAlternate || !h.tickets.rfcs[0].Alternate {
		t.Fatalf("final = %s, rfc %+v", final.Stage, h.tickets.rfcs)
	}
	if last := h.graph.patches[len(h.graph.patches)-1]; last.State != "Reviewed" || !strings.Contains(last.Comment, "CON-101") {
		t.Errorf("last PATCH = %+v", last)
	}
}

func TestDetectionOverdueWarnsOnceAndKeepsWaiting(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-2", lifecycle.VerdictNoImpact, "CON-1", false)
	h.verdict(3*time.Hour, "evt-3", lifecycle.VerdictRFCImplemented, "CON-101", false)
	for d := 1; d <= 9; d++ {
		h.observe(time.Duration(d)*day, observation("sweep-"+string(rune('a'+d)), 0, "Default"))
	}
	h.observe(10*day, observation("sweep-10", 10, "Default"))
	final := h.run(adminMFA)
	var warnings []string
	for _, n := range h.tickets.notes {
		if strings.HasSuffix(n.NoteID, "detection-warning") {
			warnings = append(warnings, n.TicketKey)
		}
	}
	if strings.Join(warnings, ",") != "CON-1,CON-101" || !final.DetectionWarned || final.Stage != lifecycle.StageCompleted {
		t.Errorf("warnings on %v, warned=%v, final %s", warnings, final.DetectionWarned, final.Stage)
	}
}

func TestOutsideChangesEndTheRecommendationAtAnyStage(t *testing.T) {
	cases := []struct {
		name      string
		steps     func(h *harness)
		seen      lifecycle.ControlObservation
		wantStage lifecycle.Stage
	}{
		{"ignored in the portal during triage", func(*harness) {}, observation("s", 0, "Ignored"), lifecycle.StageResolvedExternally},
		{"deprecated during assessment", func(h *harness) {
			h.verdict(time.Hour, "e1", lifecycle.VerdictNeedsChange, "CON-1", false)
		}, lifecycle.ControlObservation{SweepID: "s", Present: true, Deprecated: true, MaxScore: 10, State: "Default"}, lifecycle.StageWithdrawn},
		{"gone while awaiting a decision", func(h *harness) {
			h.verdict(time.Hour, "e1", lifecycle.VerdictNeedsChange, "CON-1", false)
			h.verdict(2*time.Hour, "e2", lifecycle.VerdictCustomerDecision, "CON-1", false)
		}, lifecycle.ControlObservation{SweepID: "s", Present: false}, lifecycle.StageWithdrawn},
		{"at maximum score while planned", func(h *harness) {
			h.verdict(time.Hour, "e1", lifecycle.VerdictNeedsChange, "CON-1", false)
			h.verdict(2*time.Hour, "e2", lifecycle.VerdictNoImpact, "CON-1", false)
		}, observation("s", 10, "Default"), lifecycle.StageCompleted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.steps(h)
			h.observe(day, tc.seen)
			final := h.run(adminMFA)
			if final.Stage != tc.wantStage {
				t.Fatalf("final stage %s, want %s", final.Stage, tc.wantStage)
			}
			if len(h.tickets.closures) != 1 || h.tickets.closures[0].Outcome != final.Outcome || final.Outcome == "" {
				t.Errorf("the tickets do not say why: %+v (outcome %q)", h.tickets.closures, final.Outcome)
			}
		})
	}
}

func TestRedeliveredAndMisplacedMessagesChangeNothing(t *testing.T) {
	h := newHarness(t)
	var afterDuplicate lifecycle.Stage
	h.decide(30*time.Minute, "slack-early", lifecycle.DecisionApprove, "", true) // no decision awaited in triage
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)
	h.verdict(2*time.Hour, "evt-1", lifecycle.VerdictNeedsChange, "CON-1", false)     // the same Jira event again
	h.verdict(3*time.Hour, "evt-2", lifecycle.VerdictNoImpact, "CON-999", true)       // another ticket's status
	h.verdict(4*time.Hour, "evt-3", lifecycle.VerdictRFCImplemented, "CON-101", true) // no RFC yet
	h.stageAt(5*time.Hour, &afterDuplicate)
	h.verdict(6*time.Hour, "evt-4", lifecycle.VerdictMitigatedElsewhere, "CON-1", true) // triage is over
	h.observe(7*time.Hour, observation("s", 0, "Reviewed"))
	final := h.run(adminMFA)
	if afterDuplicate != lifecycle.StageAssessment {
		t.Errorf("stage after the redelivery %s, want assessment", afterDuplicate)
	}
	var toAssessment int
	for _, tr := range final.Transitions {
		if tr.To == lifecycle.StageAssessment {
			toAssessment++
		}
	}
	if toAssessment != 1 || len(h.graph.patches) != 0 {
		t.Errorf("transitions to assessment %d, PATCHes %+v", toAssessment, h.graph.patches)
	}
}

func TestRegressionIsMarkedAndReferredToInTheTicket(t *testing.T) {
	h := newHarness(t)
	h.verdict(time.Hour, "evt-1", lifecycle.VerdictThirdParty, "CON-1", false)
	input := adminMFA
	input.Regression, input.PreviousRunID = true, "run-of-2025"
	final := h.run(input)
	if !final.Regression || !h.tickets.opened[0].Regression || h.tickets.opened[0].PreviousRunID != "run-of-2025" ||
		!strings.Contains(final.Transitions[0].Reason, "regression") {
		t.Errorf("regression not carried: %+v / %+v", final.Transitions[0], h.tickets.opened[0])
	}
}

// The ticket is opened inside the first workflow task when Jira answers; when
// it does not, the regular activity retries with backoff, where the Web UI
// shows it pending with Jira's error, and the workflow still reaches triage.
func TestTicketOpensInTheFirstTaskOrFallsBackToARetriedActivity(t *testing.T) {
	for _, down := range []int{0, 3} {
		h := newHarness(t)
		h.tickets.down = down
		local := h.localActivities()
		var regular []string
		h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
			regular = append(regular, info.ActivityType.Name)
		})
		var triage lifecycle.Stage
		h.stageAt(time.Hour, &triage)
		h.verdict(2*time.Hour, "evt-1", lifecycle.VerdictThirdParty, "CON-1", false)
		final := h.run(adminMFA)

		if triage != lifecycle.StageTriage || final.TicketKey != "CON-1" || len(h.tickets.opened) != 1 {
			t.Errorf("Jira down for %d requests: stage after an hour %s, ticket %q, %d opened", down, triage, final.TicketKey, len(h.tickets.opened))
		}
		opens := func(names []string) int { return strings.Count(strings.Join(names, " "), "OpenRecommendationTicket") }
		// Always one local attempt; down for three, the activity's two failures and its success follow.
		if opens(*local) != 1 || opens(regular) != down {
			t.Errorf("Jira down for %d requests: %d local and %d regular attempts to open the ticket, want 1 and %d",
				down, opens(*local), opens(regular), down)
		}
	}
}

// The sweep starts a recommendation with the rules' pre-assessment and the
// observation in its input: the first task runs no pre-assessment of its own,
// opens the ticket as its one local activity, and shows the observation at once.
func TestTheSweepsPreAssessmentAndObservationNeedNoStepOfTheirOwn(t *testing.T) {
	h := newHarness(t)
	local := h.localActivities()
	input := adminMFA
	input.PreAssessment = lifecycle.PreAssessment{UserImpact: "high", Reasons: []string{"as the sweep assessed it"}}
	var shown *lifecycle.ControlObservation
	h.observationAt(time.Hour, &shown)
	h.verdict(2*time.Hour, "evt-1", lifecycle.VerdictThirdParty, "CON-1", false)
	h.run(input)

	if ticket := h.tickets.opened[0].PreAssessment; ticket.UserImpact != "high" || !slices.Equal(ticket.Reasons, input.PreAssessment.Reasons) {
		t.Errorf("the ticket's pre-assessment is %+v, want the sweep's %+v", ticket, input.PreAssessment)
	}
	// The first task: the ticket's first attempt, then the store's record
	// of the two steps (detected, triage); the verdict's steps come later.
	if len(*local) < 2 || !slices.Equal((*local)[:2], []string{"OpenRecommendationTicket", "RecordTransitions"}) || slices.Contains(*local, "PreAssess") {
		t.Errorf("local activities %v, want the ticket's first attempt and the store's record first, no pre-assessment", *local)
	}
	if shown == nil || shown.SweepID != "onboarding" {
		t.Errorf("the observation from the input is not shown: %+v", shown)
	}
}

// A new recommendation needs the sweep's observation: without it the
// workflow refuses to start, and nothing is written anywhere.
func TestANewRecommendationWithoutTheSweepsObservationIsRefused(t *testing.T) {
	h := newHarness(t)
	input := adminMFA
	input.Observation = lifecycle.ControlObservation{}
	h.env.ExecuteWorkflow(lifecycle.RecommendationWorkflowType, input)
	if err := h.env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "observation") {
		t.Fatalf("the workflow ended with %v, want it refused for lacking the observation", err)
	}
	if len(h.tickets.opened) != 0 || len(h.graph.patches) != 0 {
		t.Errorf("a refused start wrote: tickets %+v, PATCHes %+v", h.tickets.opened, h.graph.patches)
	}
}
