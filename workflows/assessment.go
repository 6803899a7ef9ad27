package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// assess carries out the specialist's impact verdict (SPEC.md, step 3).
func (r *recommendation) assess(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	who := attribution(v)
	r.state.Advice = v.Advice
	switch v.Verdict {
	case lifecycle.VerdictNoImpact:
		return r.enter(ctx, lifecycle.StageRFC, v.By, v.Source, "no impact for users or cost, per "+who+": no customer decision needed")
	case lifecycle.VerdictCustomerDecision:
		r.state.Critical = false
		// Not critical: no message of its own; the tenant's regular-meeting digest presents it.
		return r.enter(ctx, lifecycle.StageAwaitingDecision, v.By, v.Source, "customer decision at the next regular meeting, per "+who)
	default: // critical
		r.state.Critical = true
		if err := r.enter(ctx, lifecycle.StageAwaitingDecision, v.By, v.Source, "critical: customer contacted today, per "+who); err != nil {
			return err
		}
		return r.requestCriticalDecision(ctx)
	}
}

// requestCriticalDecision posts the decision's own message and arms the first reminder.
func (r *recommendation) requestCriticalDecision(ctx workflow.Context) error {
	var slack *activities.Slack
	request := lifecycle.DecisionRequest{
		TenantID: r.state.TenantID, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
		ControlTitle: r.state.ControlTitle, TicketKey: r.state.TicketKey, Facts: r.state.Facts,
		Advice: r.state.Advice, Critical: true,
	}
	if r.state.PreAssessment != nil {
		request.PreAssessment = *r.state.PreAssessment
	}
	var posted lifecycle.SlackMessage
	if err := workflow.ExecuteActivity(slackStep(ctx, "ask the customer"), slack.RequestDecision, request).Get(ctx, &posted); err != nil {
		return err
	}
	r.state.DecisionMessage = &posted
	r.armDecisionDeadline(ctx)
	return nil
}
