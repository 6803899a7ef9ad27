package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// What a recommendation's one timer is for, as the state records it; the
// Web UI shows its name (deadlineName) as the timer's summary and in the
// details.
const (
	deadlineReminder         = "reminder to the customer"
	deadlineEscalation       = "escalation to the technical lead"
	deadlineDetectionWarning = "detection overdue warning"
	deadlineRiskReview       = "risk acceptance re-review"
)

var deadlineNames = map[string]string{
	deadlineReminder: "ui.deadline.reminder", deadlineEscalation: "ui.deadline.escalation",
	deadlineDetectionWarning: "ui.deadline.detection_warning", deadlineRiskReview: "ui.deadline.risk_review",
}

// deadlineName is what the next timer is for, in the MSP's language.
func (r *recommendation) deadlineName() string {
	if id, ok := deadlineNames[r.state.DeadlineFor]; ok {
		return r.texts.T(id)
	}
	return r.state.DeadlineFor
}

// setDeadline arms the next timer; the Web UI shows it in the details.
func (r *recommendation) setDeadline(ctx workflow.Context, at time.Time, what string) {
	r.state.Deadline, r.state.DeadlineFor = at, what
	r.refreshDetails(ctx)
}

// dueAt is when the workflow will next act on the recommendation by itself
// in its stage, by its own timings, as the dashboard shows it: a risk's
// re-review, a critical decision's escalation, Microsoft's detection
// warning; past once that happened. Zero: nothing is due in the stage.
func (r *recommendation) dueAt() time.Time {
	switch r.state.Stage {
	case lifecycle.StageRiskAccepted:
		if r.state.DeadlineFor == deadlineRiskReview {
			return r.state.Deadline
		}
		return r.state.StageSince.Add(r.timings.RiskReviewAfter)
	case lifecycle.StageAwaitingDecision:
		if r.state.Critical {
			return r.state.StageSince.Add(r.timings.EscalationAfter)
		}
	case lifecycle.StageAwaitingDetection:
		return r.state.StageSince.Add(r.timings.DetectionWarningAfter)
	}
	return time.Time{}
}

// onDeadline does what the timer that came due is for.
func (r *recommendation) onDeadline(ctx workflow.Context) error {
	switch r.state.DeadlineFor {
	case deadlineReminder, deadlineEscalation:
		return r.remind(ctx)
	case deadlineDetectionWarning:
		return r.warnDetectionOverdue(ctx)
	case deadlineRiskReview:
		return r.reopenForReview(ctx)
	}
	r.setDeadline(ctx, time.Time{}, "")
	return nil
}

// armDecisionDeadline sets the next reminder of a critical decision, or the
// escalation when it comes first.
func (r *recommendation) armDecisionDeadline(ctx workflow.Context) {
	nextReminder := r.state.StageSince.Add(time.Duration(r.state.RemindersSent+1) * r.timings.ReminderInterval)
	escalation := r.state.StageSince.Add(r.timings.EscalationAfter)
	if !r.state.Escalated && !escalation.After(nextReminder) {
		r.setDeadline(ctx, escalation, deadlineEscalation)
		return
	}
	r.setDeadline(ctx, nextReminder, deadlineReminder)
}

// remind posts a reminder, or the escalation naming the technical lead, in
// the decision's thread, and arms the next.
func (r *recommendation) remind(ctx workflow.Context) error {
	escalate := r.state.DeadlineFor == deadlineEscalation
	r.state.RemindersSent++
	reply := lifecycle.ThreadReply{
		TenantID: r.state.TenantID, Message: *r.state.DecisionMessage,
		ReplyID: fmt.Sprintf("reminder-%d", r.state.RemindersSent),
		Kind:    lifecycle.ReplyReminder, ControlTitle: r.state.ControlTitle, Asked: r.state.StageSince,
	}
	if escalate {
		reply.ReplyID, reply.MentionTechnicalLead = "escalation", true
		reply.Kind, reply.Waited = lifecycle.ReplyEscalation, r.timings.EscalationAfter
	}
	if err := r.replyInThread(ctx, r.texts.T("ui.chat.deadline", "What", r.deadlineName()), reply); err != nil {
		return err
	}
	if escalate && tellsByMail(ctx) {
		var mail *activities.Mail
		if err := workflow.ExecuteActivity(mailStep(ctx, r.texts.T("ui.mail.escalation")), mail.MailEscalation, reply).Get(ctx, nil); err != nil {
			return err
		}
	}
	if escalate {
		r.state.Escalated = true
		if err := r.transition(ctx, r.state.Stage, scoreflow, lifecycle.SourceTimer,
			"escalated to the technical lead after "+r.timings.EscalationAfter.String()); err != nil {
			return err
		}
	}
	r.armDecisionDeadline(ctx)
	return nil
}

// warnDetectionOverdue tells the specialist, on both tickets, once, that
// Microsoft has not detected the change; the wait goes on.
func (r *recommendation) warnDetectionOverdue(ctx workflow.Context) error {
	r.state.DetectionWarned = true
	r.setDeadline(ctx, time.Time{}, "")
	note := lifecycle.TicketNote{Kind: lifecycle.NoteDetectionOverdue, RFCKey: r.state.RFCKey, After: r.timings.DetectionWarningAfter}
	if err := r.note(ctx, r.state.TicketKey, "detection-warning", note); err != nil {
		return err
	}
	return r.note(ctx, r.state.RFCKey, "detection-warning", note)
}

// reopenForReview ends a risk acceptance after risk_review_after: Graph is
// set back to Default and the specialist assesses the recommendation again.
func (r *recommendation) reopenForReview(ctx workflow.Context) error {
	comment := "Risk acceptance due for re-review after " + r.timings.RiskReviewAfter.String()
	if err := r.writeGraphState(ctx, "Default", comment); err != nil {
		return err
	}
	note := lifecycle.TicketNote{Kind: lifecycle.NoteRiskReview, After: r.timings.RiskReviewAfter}
	if err := r.note(ctx, r.state.TicketKey, fmt.Sprintf("risk-review-%d", len(r.state.Transitions)), note); err != nil {
		return err
	}
	r.state.Critical, r.state.DecisionMessage, r.state.RemindersSent, r.state.Escalated = false, nil, 0, false
	return r.transition(ctx, lifecycle.StageAssessment, scoreflow, lifecycle.SourceTimer, comment)
}
