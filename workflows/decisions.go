package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// What each customer decision does (docs/lifecycle.md); messages.go
// dispatches to these once the decision is checked and shown in chat.

// approve: the change goes ahead through an RFC (run's rfc stage).
func (r *recommendation) approve(ctx workflow.Context, d lifecycle.CustomerDecision) error {
	return r.transition(ctx, lifecycle.StageRFC, d.By, d.Source, "approved by "+d.By.String())
}

// chooseAlternative: an RFC implements an alternative; Graph will record it
// as resolved through alternate mitigation once implemented.
func (r *recommendation) chooseAlternative(ctx workflow.Context, d lifecycle.CustomerDecision) error {
	r.state.Alternate = true
	return r.transition(ctx, lifecycle.StageRFC, d.By, d.Source, "alternative implementation chosen by "+d.By.String())
}

// acceptRisk: Graph records Ignored ("Risk accepted") with who and why, the
// tickets close, and the acceptance is reviewed again after risk_review_after.
func (r *recommendation) acceptRisk(ctx workflow.Context, d lifecycle.CustomerDecision) error {
	comment := fmt.Sprintf("Risk accepted by %s: %s", d.By, d.Reason)
	// The audit trail names who decided beside the reason, so its reason is
	// the customer's own words; runs of v0.2.0 recorded Graph's comment,
	// the name included, and replay as they ran.
	reason := comment
	if workflow.GetVersion(ctx, riskReasonInOwnWords, workflow.DefaultVersion, 1) == 1 {
		reason = d.Reason
	}
	if err := r.settle(ctx, "Ignored", comment, lifecycle.StageRiskAccepted, d.By, d.Source, reason); err != nil {
		return err
	}
	reviewAt := workflow.Now(ctx).Add(r.timings.RiskReviewAfter)
	closure := lifecycle.TicketClosure{AcceptedBy: d.By, AcceptReason: d.Reason, ReviewAt: reviewAt}
	if err := r.closeTickets(ctx, "risk-accepted", closure); err != nil {
		return err
	}
	r.setDeadline(ctx, reviewAt, deadlineRiskReview)
	return nil
}

// riskReasonInOwnWords versions the audit trail's reason of an accepted
// risk: the customer's words, without the name the step already carries.
const riskReasonInOwnWords = "risk-reason-own-words"
