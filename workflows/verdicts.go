package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// What each specialist verdict does (docs/lifecycle.md); messages.go
// dispatches to these once the verdict's stage and ticket are checked.

// resolveThroughAlternateMitigation: triage found the risk covered another
// way. Graph records Reviewed ("Resolved through alternate mitigation").
func (r *recommendation) resolveThroughAlternateMitigation(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	return r.settle(ctx, "Reviewed", fmt.Sprintf("Resolved through alternate mitigation: %s by %s", r.state.TicketKey, v.By),
		lifecycle.StageResolvedAlternate, v.By, v.Source, "mitigated elsewhere, confirmed by "+attribution(v))
}

// resolveByThirdParty: triage found a third party handles it. Graph records ThirdParty.
func (r *recommendation) resolveByThirdParty(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	return r.settle(ctx, "ThirdParty", fmt.Sprintf("Addressed by a third party: %s by %s", r.state.TicketKey, v.By),
		lifecycle.StageResolvedThirdParty, v.By, v.Source, "handled by a third party, per "+attribution(v))
}

// assessImpact: triage found a change is needed; its impact is assessed next.
func (r *recommendation) assessImpact(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	return r.transition(ctx, lifecycle.StageAssessment, v.By, v.Source, "needs a change, per "+attribution(v)+": assess impact")
}

// planWithoutDecision: no impact for users or cost, so no customer decision:
// the RFC is opened next (run's rfc stage).
func (r *recommendation) planWithoutDecision(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	r.state.Advice = v.Advice
	return r.transition(ctx, lifecycle.StageRFC, v.By, v.Source,
		"no impact for users or cost, per "+attribution(v)+": no customer decision needed")
}

// awaitDecisionAtMeeting: not critical, so no message of its own; the
// tenant's regular-meeting digest presents it until it is decided.
func (r *recommendation) awaitDecisionAtMeeting(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	r.state.Advice, r.state.Critical = v.Advice, false
	return r.transition(ctx, lifecycle.StageAwaitingDecision, v.By, v.Source,
		"customer decision at the next regular meeting, per "+attribution(v))
}

// awaitCriticalDecision: the customer is asked today, in a message of its
// own naming the technical lead, and reminded until it decides.
func (r *recommendation) awaitCriticalDecision(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	r.state.Advice, r.state.Critical = v.Advice, true
	if err := r.transition(ctx, lifecycle.StageAwaitingDecision, v.By, v.Source,
		"critical: customer contacted today, per "+attribution(v)); err != nil {
		return err
	}
	if err := r.askCustomer(ctx); err != nil {
		return err
	}
	r.armDecisionDeadline(ctx)
	return nil
}

// noteRFCScheduled records the RFC's schedule; the recommendation stays planned.
func (r *recommendation) noteRFCScheduled(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	return r.transition(ctx, r.state.Stage, v.By, v.Source, "RFC "+r.state.RFCKey+" scheduled by "+attribution(v))
}

// awaitDetection: the RFC is implemented. Microsoft detects an ordinary
// change; an alternative implementation it cannot detect, so Graph records
// Reviewed and the recommendation ends.
func (r *recommendation) awaitDetection(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	if r.state.Alternate {
		return r.settle(ctx, "Reviewed", fmt.Sprintf("Resolved through alternate mitigation: alternative implementation by %s", r.state.RFCKey),
			lifecycle.StageResolvedAlternate, v.By, v.Source, "alternative implemented, per "+attribution(v))
	}
	if err := r.transition(ctx, lifecycle.StageAwaitingDetection, v.By, v.Source,
		"implemented, per "+attribution(v)+": waiting for Microsoft to detect it"); err != nil {
		return err
	}
	r.setDeadline(ctx, r.state.StageSince.Add(r.timings.DetectionWarningAfter), deadlineDetectionWarning)
	return nil
}

// reassessAfterCancelledRFC: the change was cancelled; the recommendation
// ticket says so and the recommendation is assessed again.
func (r *recommendation) reassessAfterCancelledRFC(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	cancelled := r.state.RFCKey
	if err := r.note(ctx, r.state.TicketKey, fmt.Sprintf("rfc-cancelled-%d", r.state.RFCAttempts),
		lifecycle.TicketNote{Kind: lifecycle.NoteRFCCancelled, RFCKey: cancelled, By: v.By}); err != nil {
		return err
	}
	r.state.RFCKey = ""
	return r.transition(ctx, lifecycle.StageAssessment, v.By, v.Source, "RFC "+cancelled+" cancelled by "+attribution(v))
}
