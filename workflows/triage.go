package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// onboardInOneTask versions a new recommendation's first workflow task:
// pre-assess (unless the sweep did) and open the ticket as local activities,
// without asking for a version for each, and upsert no search attribute that
// is already current.
// Every version marker and every upsert costs a write of the workflow's
// visibility row, and those writes bounded the onboarding fan-out
// (BENCHMARKS.md). A recommendation started with OnboardInOneTask in its
// input writes that row twice (start, triage) instead of five times; one
// started by an earlier sweep asks for this version, a third write.
const onboardInOneTask = "onboard-in-one-task"

// openRecommendationTicket pre-assesses the control, unless the sweep did,
// and opens the ticket a specialist triages (SPEC.md, steps 2 and 3), then
// enters triage.
func (r *recommendation) openRecommendationTicket(ctx workflow.Context) error {
	if r.state.PreAssessment == nil {
		pre, err := preAssess(ctx, r.onboardedInOneTask, r.state.ControlID, r.state.Facts)
		if err != nil {
			return err
		}
		r.state.PreAssessment = &pre
	}
	request := lifecycle.TicketRequest{
		TenantID: r.state.TenantID, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID, FirstRunID: workflow.GetInfo(ctx).FirstRunID,
		ControlID: r.state.ControlID, ControlTitle: r.state.ControlTitle, Facts: r.state.Facts,
		PreAssessment: *r.state.PreAssessment, Regression: r.state.Regression, PreviousRunID: r.state.PreviousRunID,
	}
	key, err := openTicket(ctx, r.onboardedInOneTask, request)
	if err != nil {
		return err
	}
	r.state.TicketKey = key
	return r.enter(ctx, lifecycle.StageTriage, scoreflow, lifecycle.SourceScoreflow,
		"ticket "+r.state.TicketKey+" opened: check for an alternate mitigation")
}

// openTicket opens the recommendation ticket (or finds the one a crashed
// attempt opened). It first asks Jira once, as a local activity inside the
// workflow's own task: on the fan-out of a new tenant that saves each
// recommendation an activity task, a workflow task and a visibility write,
// the engine work BENCHMARKS.md found to be the bottleneck. When that one
// attempt fails or is slow, the regular activity takes over: it retries with
// backoff for as long as Jira is down, and the Web UI shows it pending with
// Jira's error. Runs recorded before the change open it as an activity only.
func openTicket(ctx workflow.Context, onboardedInOneTask bool, request lifecycle.TicketRequest) (string, error) {
	var jira *activities.Jira
	var key string
	if onboardedInOneTask || workflow.GetVersion(ctx, "open-ticket-locally", workflow.DefaultVersion, 1) == 1 {
		localCtx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: 10 * time.Second,
			RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
			Summary:             "Jira: open the recommendation ticket (first attempt)",
		})
		if err := workflow.ExecuteLocalActivity(localCtx, jira.OpenRecommendationTicket, request).Get(ctx, &key); err == nil {
			return key, nil
		}
	}
	err := workflow.ExecuteActivity(jiraStep(ctx, "open the recommendation ticket"), jira.OpenRecommendationTicket, request).Get(ctx, &key)
	return key, err
}

// preAssess applies the rule set to a control. The rules are pure and take
// microseconds, so they run as a local activity in the workflow's own task:
// the onboarding fan-out profile (BENCHMARKS.md) showed the server's
// persistence as the bottleneck, and a regular activity cost a workflow task,
// an activity task and three events more per recommendation. Runs recorded
// before the change keep the regular activity.
func preAssess(ctx workflow.Context, onboardedInOneTask bool, controlID string, facts lifecycle.ControlFacts) (lifecycle.PreAssessment, error) {
	var assess *activities.Assessment
	var pre lifecycle.PreAssessment
	if !onboardedInOneTask && workflow.GetVersion(ctx, "pre-assess-locally", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		assessCtx := withActivity(ctx, 10*time.Second, "Pre-assess impact for users and cost")
		err := workflow.ExecuteActivity(assessCtx, assess.PreAssess, controlID, facts).Get(ctx, &pre)
		return pre, err
	}
	localCtx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 5 * time.Second, RetryPolicy: outsideRetry, Summary: "Pre-assess impact for users and cost",
	})
	err := workflow.ExecuteLocalActivity(localCtx, assess.PreAssess, controlID, facts).Get(ctx, &pre)
	return pre, err
}

// applyVerdict carries out a specialist's verdict for the current stage.
func (r *recommendation) applyVerdict(ctx workflow.Context, v lifecycle.SpecialistVerdict) error {
	who := attribution(v)
	switch v.Verdict {
	case lifecycle.VerdictMitigatedElsewhere:
		comment := fmt.Sprintf("Resolved through alternate mitigation: %s by %s", r.state.TicketKey, v.By)
		if err := r.writeGraphState(ctx, "Reviewed", comment); err != nil {
			return err
		}
		r.state.Outcome = comment
		return r.enter(ctx, lifecycle.StageResolvedAlternate, v.By, v.Source, "mitigated elsewhere, confirmed by "+who)
	case lifecycle.VerdictThirdParty:
		comment := fmt.Sprintf("Addressed by a third party: %s by %s", r.state.TicketKey, v.By)
		if err := r.writeGraphState(ctx, "ThirdParty", comment); err != nil {
			return err
		}
		r.state.Outcome = comment
		return r.enter(ctx, lifecycle.StageResolvedThirdParty, v.By, v.Source, "handled by a third party, per "+who)
	case lifecycle.VerdictNeedsChange:
		return r.enter(ctx, lifecycle.StageAssessment, v.By, v.Source, "needs a change, per "+who+": assess impact")
	case lifecycle.VerdictNoImpact, lifecycle.VerdictCustomerDecision, lifecycle.VerdictCriticalDecision:
		return r.assess(ctx, v)
	default:
		return r.applyChangeVerdict(ctx, v)
	}
}

// writeGraphState PATCHes the control and remembers what scoreflow wrote, so
// the sweep's next observation of it is not mistaken for an outside change.
func (r *recommendation) writeGraphState(ctx workflow.Context, state, comment string) error {
	var graph *activities.Graph
	change := lifecycle.ControlStateChange{TenantID: r.state.TenantID, ControlID: r.state.ControlID, State: state, Comment: comment}
	if err := workflow.ExecuteActivity(graphStep(ctx, "mark the control "+state), graph.SetControlState, change).Get(ctx, nil); err != nil {
		return err
	}
	r.state.GraphState = state
	return nil
}

// note comments on a ticket once; noteID keeps a retried activity from commenting twice.
func (r *recommendation) note(ctx workflow.Context, ticketKey, noteID, text string) error {
	if ticketKey == "" {
		return nil
	}
	var jira *activities.Jira
	n := lifecycle.TicketNote{TicketKey: ticketKey, NoteID: workflow.GetInfo(ctx).WorkflowExecution.ID + "/" + noteID, Text: text}
	return workflow.ExecuteActivity(jiraStep(ctx, "comment on "+ticketKey), jira.AddTicketNote, n).Get(ctx, nil)
}
