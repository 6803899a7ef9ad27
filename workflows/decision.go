package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/lifecycle"
)

const (
	deadlineReminder   = "reminder to the customer"
	deadlineEscalation = "escalation to the technical lead"
)

// applyDecision carries out an approver's decision (SPEC.md, step 4).
func (r *recommendation) applyDecision(ctx workflow.Context, d lifecycle.CustomerDecision) error {
	message, inDigest := r.state.DecisionMessage, false
	if message == nil && d.From != nil {
		message, inDigest = d.From, true // decided from the regular-meeting digest
	}
	if message != nil {
		var slack *activities.Slack
		outcome := lifecycle.DecisionOutcome{
			TenantID: r.state.TenantID, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
			ControlTitle: r.state.ControlTitle, Message: *message, Decision: d, InDigest: inDigest,
		}
		if err := workflow.ExecuteActivity(slackStep(ctx, "show the decision"), slack.RecordDecision, outcome).Get(ctx, nil); err != nil {
			return err
		}
	}
	switch d.Decision {
	case lifecycle.DecisionApprove:
		return r.enter(ctx, lifecycle.StageRFC, d.By, d.Source, "approved by "+d.By.String())
	case lifecycle.DecisionAlternative:
		r.state.Alternate = true
		return r.enter(ctx, lifecycle.StageRFC, d.By, d.Source, "alternative implementation chosen by "+d.By.String())
	default: // accept risk
		comment := fmt.Sprintf("Risk accepted by %s: %s", d.By, d.Reason)
		if err := r.writeGraphState(ctx, "Ignored", comment); err != nil {
			return err
		}
		r.state.Outcome = comment
		if err := r.enter(ctx, lifecycle.StageRiskAccepted, d.By, d.Source, comment); err != nil {
			return err
		}
		reviewAt := workflow.Now(ctx).Add(r.timings.RiskReviewAfter)
		if err := r.closeTickets(ctx, "risk-accepted", fmt.Sprintf("%s. Re-review on %s.", comment, reviewAt.Format("2006-01-02"))); err != nil {
			return err
		}
		r.setDeadline(ctx, reviewAt, deadlineRiskReview)
		return nil
	}
}

// armDecisionDeadline sets the next reminder, or the escalation when it comes first.
func (r *recommendation) armDecisionDeadline(ctx workflow.Context) {
	nextReminder := r.state.StageSince.Add(time.Duration(r.state.RemindersSent+1) * r.timings.ReminderInterval)
	escalation := r.state.StageSince.Add(r.timings.EscalationAfter)
	if !r.state.Escalated && !escalation.After(nextReminder) {
		r.setDeadline(ctx, escalation, deadlineEscalation)
		return
	}
	r.setDeadline(ctx, nextReminder, deadlineReminder)
}

// remind posts a reminder, or the escalation naming the technical lead, in the decision's thread.
func (r *recommendation) remind(ctx workflow.Context) error {
	escalate := r.state.DeadlineFor == deadlineEscalation
	r.state.RemindersSent++
	reply := lifecycle.ThreadReply{
		TenantID: r.state.TenantID, Message: *r.state.DecisionMessage,
		ReplyID: fmt.Sprintf("reminder-%d", r.state.RemindersSent),
		Text:    fmt.Sprintf("Reminder: %q still awaits your decision (asked %s).", r.state.ControlTitle, r.state.StageSince.Format("2006-01-02")),
	}
	if escalate {
		reply.ReplyID, reply.MentionTechnicalLead = "escalation", true
		reply.Text = fmt.Sprintf("Escalation: %q has waited %s for a decision.", r.state.ControlTitle, r.timings.EscalationAfter)
	}
	var slack *activities.Slack
	if err := workflow.ExecuteActivity(slackStep(ctx, r.state.DeadlineFor), slack.ReplyInThread, reply).Get(ctx, nil); err != nil {
		return err
	}
	if escalate {
		r.state.Escalated = true
		r.state.Transitions = append(r.state.Transitions, lifecycle.Transition{
			At: workflow.Now(ctx), From: r.state.Stage, To: r.state.Stage, By: scoreflow, Source: lifecycle.SourceTimer,
			Reason: "escalated to the technical lead after " + r.timings.EscalationAfter.String(),
		})
	}
	r.armDecisionDeadline(ctx)
	return nil
}
