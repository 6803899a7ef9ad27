package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/lifecycle"
)

const (
	deadlineDetectionWarning = "detection overdue warning"
	deadlineRiskReview       = "risk acceptance re-review"
)

// observe applies what the daily sweep saw (SPEC.md, steps 6 and 7): Microsoft's
// detection, or a change made outside scoreflow, ends the recommendation.
func (r *recommendation) observe(ctx workflow.Context, o lifecycle.ControlObservation) error {
	switch {
	case !o.Present:
		return r.end(ctx, lifecycle.StageWithdrawn, "the control is no longer in the tenant's Secure Score")
	case o.Deprecated:
		return r.end(ctx, lifecycle.StageWithdrawn, "Microsoft deprecated the control")
	case o.MaxScore > 0 && o.Score >= o.MaxScore:
		if r.state.Stage == lifecycle.StageAwaitingDetection {
			return r.end(ctx, lifecycle.StageCompleted, fmt.Sprintf("Microsoft detected the change: %.2f/%.0f points", o.Score, o.MaxScore))
		}
		return r.end(ctx, lifecycle.StageCompleted, fmt.Sprintf("the control reached its maximum score outside scoreflow (%.2f/%.0f)", o.Score, o.MaxScore))
	case o.State != "" && o.State != r.state.GraphState:
		return r.end(ctx, lifecycle.StageResolvedExternally, "the control's state was set to "+o.State+" outside scoreflow")
	}
	return nil
}

// end enters a terminal stage decided by an observation.
func (r *recommendation) end(ctx workflow.Context, stage lifecycle.Stage, reason string) error {
	r.state.Outcome = reason
	return r.enter(ctx, stage, scoreflow, lifecycle.SourceSweep, reason)
}

// onDeadline runs the timer that came due.
func (r *recommendation) onDeadline(ctx workflow.Context) error {
	switch r.state.DeadlineFor {
	case deadlineReminder, deadlineEscalation:
		return r.remind(ctx)
	case deadlineDetectionWarning:
		r.state.DetectionWarned = true
		r.setDeadline(ctx, timeZero, "")
		text := fmt.Sprintf("Microsoft has not detected the change %s after %s; a regular detection takes 24-48 hours. Please check the implementation.",
			r.state.RFCKey, r.timings.DetectionWarningAfter)
		if err := r.note(ctx, r.state.TicketKey, "detection-warning", text); err != nil {
			return err
		}
		return r.note(ctx, r.state.RFCKey, "detection-warning", text)
	case deadlineRiskReview:
		comment := "Risk acceptance due for re-review after " + r.timings.RiskReviewAfter.String()
		if err := r.writeGraphState(ctx, "Default", comment); err != nil {
			return err
		}
		if err := r.note(ctx, r.state.TicketKey, fmt.Sprintf("risk-review-%d", len(r.state.Transitions)), comment+": please assess again."); err != nil {
			return err
		}
		r.state.Critical, r.state.DecisionMessage, r.state.RemindersSent, r.state.Escalated = false, nil, 0, false
		return r.enter(ctx, lifecycle.StageAssessment, scoreflow, lifecycle.SourceTimer, comment)
	}
	r.setDeadline(ctx, timeZero, "")
	return nil
}
