package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// openRFC opens the change ticket and marks the recommendation planned
// (SPEC.md, step 5). Graph has no "Planned" state: scoreflow keeps it and
// writes a Graph comment naming the RFC, leaving the state as it is.
func (r *recommendation) openRFC(ctx workflow.Context) error {
	var jira *activities.Jira
	r.state.RFCAttempts++
	approvedBy := scoreflow
	if n := len(r.state.Transitions); n > 0 {
		approvedBy = r.state.Transitions[n-1].By
	}
	request := lifecycle.RFCRequest{
		TenantID: r.state.TenantID, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID, FirstRunID: workflow.GetInfo(ctx).FirstRunID,
		ControlID: r.state.ControlID, ControlTitle: r.state.ControlTitle, TicketKey: r.state.TicketKey,
		Alternate: r.state.Alternate, ApprovedBy: approvedBy, Attempt: r.state.RFCAttempts,
	}
	if err := workflow.ExecuteActivity(jiraStep(ctx, "open the RFC"), jira.OpenRFCTicket, request).Get(ctx, &r.state.RFCKey); err != nil {
		return err
	}
	if err := r.writeGraphState(ctx, r.state.GraphState, "Planned: change request "+r.state.RFCKey); err != nil {
		return err
	}
	return r.enter(ctx, lifecycle.StagePlanned, scoreflow, lifecycle.SourceScoreflow, "RFC "+r.state.RFCKey+" opened")
}

// applyChangeVerdict follows the RFC ticket.
func (r *recommendation) applyChangeVerdict(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	who := attribution(v)
	switch v.Verdict {
	case lifecycle.VerdictRFCScheduled:
		r.state.Transitions = append(r.state.Transitions, lifecycle.Transition{
			At: workflow.Now(ctx), From: r.state.Stage, To: r.state.Stage, By: v.By, Source: v.Source,
			Reason: "RFC " + r.state.RFCKey + " scheduled by " + who,
		})
		r.refreshDetails(ctx)
		return nil
	case lifecycle.VerdictRFCCancelled:
		cancelled := r.state.RFCKey
		if err := r.note(ctx, r.state.TicketKey, fmt.Sprintf("rfc-cancelled-%d", r.state.RFCAttempts),
			fmt.Sprintf("RFC %s was cancelled by %s: the recommendation is back in assessment.", cancelled, v.By)); err != nil {
			return err
		}
		r.state.RFCKey = ""
		return r.enter(ctx, lifecycle.StageAssessment, v.By, v.Source, "RFC "+cancelled+" cancelled by "+who)
	default: // implemented
		if r.state.Alternate {
			comment := fmt.Sprintf("Resolved through alternate mitigation: alternative implementation by %s", r.state.RFCKey)
			if err := r.writeGraphState(ctx, "Reviewed", comment); err != nil {
				return err
			}
			r.state.Outcome = comment
			return r.enter(ctx, lifecycle.StageResolvedAlternate, v.By, v.Source, "alternative implemented, per "+who)
		}
		if err := r.enter(ctx, lifecycle.StageAwaitingDetection, v.By, v.Source,
			"implemented, per "+who+": waiting for Microsoft to detect it"); err != nil {
			return err
		}
		r.setDeadline(ctx, r.state.StageSince.Add(r.timings.DetectionWarningAfter), deadlineDetectionWarning)
		return nil
	}
}
