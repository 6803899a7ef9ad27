package workflows

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// maxAppliedEvents is how many message ids are remembered to ignore redeliveries.
const maxAppliedEvents = 64

// verdictSteps is what each verdict does (verdicts.go); lifecycle's verdict
// table says which stage takes it and from which ticket.
var verdictSteps = map[lifecycle.Verdict]func(*recommendation, workflow.Context, lifecycle.SpecialistVerdict) error{
	lifecycle.VerdictMitigatedElsewhere: (*recommendation).resolveThroughAlternateMitigation,
	lifecycle.VerdictThirdParty:         (*recommendation).resolveByThirdParty,
	lifecycle.VerdictNeedsChange:        (*recommendation).assessImpact,
	lifecycle.VerdictNoImpact:           (*recommendation).planWithoutDecision,
	lifecycle.VerdictCustomerDecision:   (*recommendation).awaitDecisionAtMeeting,
	lifecycle.VerdictCriticalDecision:   (*recommendation).awaitCriticalDecision,
	lifecycle.VerdictRFCScheduled:       (*recommendation).noteRFCScheduled,
	lifecycle.VerdictRFCImplemented:     (*recommendation).awaitDetection,
	lifecycle.VerdictRFCCancelled:       (*recommendation).reassessAfterCancelledRFC,
}

// decisionSteps is what each customer decision does (decisions.go).
var decisionSteps = map[lifecycle.Decision]func(*recommendation, workflow.Context, lifecycle.CustomerDecision) error{
	lifecycle.DecisionApprove:     (*recommendation).approve,
	lifecycle.DecisionAlternative: (*recommendation).chooseAlternative,
	lifecycle.DecisionAcceptRisk:  (*recommendation).acceptRisk,
}

// message is an accepted verdict or decision waiting for the main loop.
type message struct {
	eventID  string
	verdict  *lifecycle.SpecialistVerdict
	decision *lifecycle.CustomerDecision
	applied  bool
	err      error
}

// receiveMessages registers the Updates that bring verdicts and decisions,
// with validators that refuse a message for another stage before anything
// is written to history, and the signal that brings the sweep's observations.
func (r *recommendation) receiveMessages(ctx workflow.Context) error {
	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateSpecialistVerdict,
		func(ctx workflow.Context, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error) {
			return r.deliver(ctx, &message{eventID: v.EventID, verdict: &v})
		},
		workflow.UpdateHandlerOptions{Validator: func(v lifecycle.SpecialistVerdict) error {
			if r.applied(v.EventID) {
				return nil
			}
			return checkVerdict(r.state, v)
		}},
	); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, lifecycle.UpdateCustomerDecision,
		func(ctx workflow.Context, d lifecycle.CustomerDecision) (lifecycle.MessageResult, error) {
			return r.deliver(ctx, &message{eventID: d.EventID, decision: &d})
		},
		workflow.UpdateHandlerOptions{Validator: func(d lifecycle.CustomerDecision) error {
			if r.applied(d.EventID) {
				return nil
			}
			return checkDecision(r.state, d)
		}},
	); err != nil {
		return err
	}
	observations := workflow.GetSignalChannel(ctx, lifecycle.SignalObservation)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var o lifecycle.ControlObservation
			observations.Receive(ctx, &o)
			r.receiveObservation(o)
			r.recordObserved(ctx)
		}
	})
	return nil
}

// deliver queues an accepted message and returns once the main loop applied it,
// so the ticket system's and the chat's handlers learn the resulting stage.
func (r *recommendation) deliver(ctx workflow.Context, m *message) (lifecycle.MessageResult, error) {
	if r.applied(m.eventID) {
		return lifecycle.MessageResult{Stage: r.state.Stage, Duplicate: true}, nil
	}
	r.inbox = append(r.inbox, m)
	r.handledThisRun++
	if err := workflow.Await(ctx, func() bool { return m.applied }); err != nil {
		return lifecycle.MessageResult{}, err
	}
	return lifecycle.MessageResult{Stage: r.state.Stage}, m.err
}

// receiveObservation keeps the newest observation; the same sweep delivered
// twice (a retried delivery activity) counts once.
func (r *recommendation) receiveObservation(o lifecycle.ControlObservation) {
	if last := r.state.LastObservation; last != nil && last.SweepID == o.SweepID {
		return
	}
	// Shown at once; acted on by the main loop when it is free.
	r.state.LastObservation, r.observation = &o, &o
	r.handledThisRun++
}

func (r *recommendation) applied(eventID string) bool {
	return eventID != "" && slices.Contains(r.state.AppliedEvents, eventID)
}

func (r *recommendation) markApplied(eventID string) {
	if eventID == "" {
		return
	}
	r.state.AppliedEvents = append(r.state.AppliedEvents, eventID)
	if n := len(r.state.AppliedEvents); n > maxAppliedEvents {
		r.state.AppliedEvents = r.state.AppliedEvents[n-maxAppliedEvents:]
	}
}

// apply checks the message again, since the stage may have moved since its
// validator accepted it, and carries it out.
func (r *recommendation) apply(ctx workflow.Context, m *message) error {
	if m.verdict != nil {
		if err := checkVerdict(r.state, *m.verdict); err != nil {
			return err
		}
		return verdictSteps[m.verdict.Verdict](r, ctx, *m.verdict)
	}
	if err := checkDecision(r.state, *m.decision); err != nil {
		return err
	}
	// Whatever was decided, the message it was decided in shows who decided what.
	if workflow.GetVersion(ctx, decisionShownBeside, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		if err := r.showDecision(ctx, *m.decision).Get(ctx, nil); err != nil {
			return err
		}
	} else {
		r.pendingShows = append(r.pendingShows, r.showDecision(ctx, *m.decision))
	}
	return decisionSteps[m.decision.Decision](r, ctx, *m.decision)
}

// decisionShownBeside versions showing a decision in its message: it is
// shown while the decision is acted on, so the RFC does not wait for the
// chat (nor for a chat that is down). Runs of v0.2.0 showed it first, and
// replay as they ran.
const decisionShownBeside = "decision-shown-beside"

// checkVerdict accepts a verdict only in the stage that takes it, and only
// from the ticket it belongs to: the RFC's verdicts from the RFC ticket.
func checkVerdict(state lifecycle.RecommendationState, v lifecycle.SpecialistVerdict) error {
	if _, known := verdictSteps[v.Verdict]; !known || v.Verdict.Stage() != state.Stage {
		return fmt.Errorf("the recommendation is in stage %s, which does not take the verdict %q", state.Stage, v.Verdict)
	}
	if v.TicketKey == "" {
		return nil // an operator's verdict names no ticket
	}
	want := state.TicketKey
	if v.Verdict.OnRFC() {
		want = state.RFCKey
	}
	if v.TicketKey != want {
		return fmt.Errorf("the verdict %q comes from ticket %s, but this step belongs to %s", v.Verdict, v.TicketKey, want)
	}
	return nil
}

// checkDecision accepts a decision only while one is awaited, from a named
// person, with a reason where it needs one.
func checkDecision(state lifecycle.RecommendationState, d lifecycle.CustomerDecision) error {
	if _, known := decisionSteps[d.Decision]; !known || state.Stage != lifecycle.DecisionStage {
		return fmt.Errorf("the recommendation is in stage %s and awaits no decision", state.Stage)
	}
	if d.Decision.NeedsReason() && d.Reason == "" {
		return fmt.Errorf("accepting the risk needs a reason")
	}
	if d.By.ID == "" {
		return fmt.Errorf("a decision must name who decided")
	}
	return nil
}

// attribution names who gave a verdict and where: the ticket, "manual" for
// an operator's verdict sent with the starter, or the bulk action.
func attribution(v lifecycle.SpecialistVerdict) string {
	if v.Source == lifecycle.SourceBulk {
		return fmt.Sprintf("%s (bulk action %s)", v.By, v.EventID)
	}
	if v.TicketKey == "" || v.Source == lifecycle.SourceOperator {
		return fmt.Sprintf("%s (manual, via %s)", v.By, v.Source)
	}
	return fmt.Sprintf("%s (%s)", v.By, v.TicketKey)
}
