package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// The audit trail in the store. Every step transition records is written
// to the store before the workflow next waits: as one local activity for
// all the steps of the task (one marker in the history, no task of its
// own), and, should the store not answer at once, as a regular activity
// that retries in the background while the recommendation goes on. Rows are
// keyed by workflow, chain of runs and step number, so a retried, replayed
// or repeated write finds its row.

// stepContext is what a step is recorded with beside the step itself: the
// tickets, whether the recommendation was critical when it took it, and
// what was due after it. A step of an earlier run of the chain is recorded
// with the current ones.
type stepContext struct {
	ticketKey, rfcKey string
	critical          bool
	due               time.Time
}

func (r *recommendation) currentStepContext() stepContext {
	return stepContext{ticketKey: r.state.TicketKey, rfcKey: r.state.RFCKey, critical: r.state.Critical, due: r.dueAt()}
}

// storeOutage is how long a step's write is retried: a store down for longer
// loses it, and the workflow logs so.
const storeOutage = 30 * 24 * time.Hour

// recordSteps writes the steps not yet written in this run. A run that
// continued as new writes its chain's earlier steps again, which the store
// already has, so a run started before the store existed records them too.
func (r *recommendation) recordSteps(ctx workflow.Context) {
	if !r.recordsHistory || r.recorded == len(r.state.Transitions) {
		return
	}
	info := workflow.GetInfo(ctx)
	var steps []lifecycle.TransitionRecord
	for seq := r.recorded; seq < len(r.state.Transitions); seq++ {
		step, known := r.stepContexts[seq]
		if !known {
			step = r.currentStepContext()
		}
		if seq == len(r.state.Transitions)-1 {
			// The latest step goes with what is due now: a timer the step
			// set after it was taken (a risk's re-review) is armed by now.
			step.due = r.dueAt()
		}
		steps = append(steps, lifecycle.TransitionRecord{WorkflowID: info.WorkflowExecution.ID, ChainID: info.FirstRunID,
			Seq: seq, RunID: info.WorkflowExecution.RunID, TenantID: r.state.TenantID, ControlID: r.state.ControlID,
			Transition: r.state.Transitions[seq], TicketKey: step.ticketKey, RFCKey: step.rfcKey, Critical: step.critical,
			Service: r.state.Facts.Service, Due: step.due})
	}
	r.recorded = len(r.state.Transitions)

	var history *activities.History
	localCtx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 2 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
		Summary:             r.texts.T("ui.store.record"),
	})
	err := workflow.ExecuteLocalActivity(localCtx, history.RecordTransitions, steps).Get(ctx, nil)
	if err == nil {
		return
	}
	logging.WriteSDK(r.logger.Warn, "log.workflow.steps_retrying", "Steps", len(steps), "Error", err)
	retryCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// A few rows take a moment; a worker that died with the write is
		// found out after this long and the write retried on another.
		StartToCloseTimeout: 15 * time.Second,
		// As long as a store outage may last; without it the SDK's test
		// environment would bound the retries by the start-to-close timeout.
		ScheduleToCloseTimeout: storeOutage,
		RetryPolicy:            outsideRetry,
		Summary:                r.texts.T("ui.store.record_retrying"),
	})
	r.pendingSteps = append(r.pendingSteps, workflow.ExecuteActivity(retryCtx, history.RecordTransitions, steps))
}

// recordDecisionBeforeRFC writes the step that called for an RFC, a
// customer's decision most often, before the RFC is opened: the dashboard
// the customer decided on shows the decision when it returns, not once
// Jira has answered. Runs of v0.2.0 wrote it after, and replay as they ran.
func (r *recommendation) recordDecisionBeforeRFC(ctx workflow.Context) {
	if workflow.GetVersion(ctx, recordBeforeRFC, workflow.DefaultVersion, 1) == 1 {
		r.recordSteps(ctx)
	}
}

const recordBeforeRFC = "record-before-rfc"

// awaitRecordedSteps waits, before the run ends, for the steps still being
// retried: the store keeps every step, if later.
func (r *recommendation) awaitRecordedSteps(ctx workflow.Context) error {
	r.recordSteps(ctx)
	r.awaitEach(ctx, r.pendingSteps, "log.workflow.steps_lost")
	r.pendingSteps = nil
	return nil
}
