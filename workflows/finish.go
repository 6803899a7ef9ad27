package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/lifecycle"
)

var timeZero time.Time

// finish closes the tickets saying why and tells the customer in the
// decision's thread, then the workflow ends in its terminal stage.
func (r *recommendation) finish(ctx workflow.Context) error {
	reason := string(r.state.Stage) + ": " + r.state.Outcome
	if err := r.closeTickets(ctx, "closed", reason); err != nil {
		return err
	}
	if r.state.DecisionMessage == nil {
		return nil
	}
	var slack *activities.Slack
	reply := lifecycle.ThreadReply{
		TenantID: r.state.TenantID, Message: *r.state.DecisionMessage, ReplyID: "outcome",
		Text: "Done: " + r.state.ControlTitle + " — " + r.state.Outcome,
	}
	return workflow.ExecuteActivity(slackStep(ctx, "tell the customer the outcome"), slack.ReplyInThread, reply).Get(ctx, nil)
}

func (r *recommendation) closeTickets(ctx workflow.Context, noteID, reason string) error {
	var keys []string
	for _, k := range []string{r.state.TicketKey, r.state.RFCKey} {
		if k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var jira *activities.Jira
	closure := lifecycle.TicketClosure{TicketKeys: keys, NoteID: workflow.GetInfo(ctx).WorkflowExecution.ID + "/" + noteID, Reason: reason}
	return workflow.ExecuteActivity(jiraStep(ctx, "close the tickets"), jira.CloseTickets, closure).Get(ctx, nil)
}
