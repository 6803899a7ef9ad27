package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// TenantSweep is one tenant's daily detection sweep (docs/lifecycle.md,
// detected): one read of Graph, then one observation to each recommendation.
// The recommendation workflows never poll Graph; this is how they learn.
func TenantSweep(ctx workflow.Context, input lifecycle.SweepInput) (lifecycle.SweepResult, error) {
	result := lifecycle.SweepResult{TenantID: input.TenantID}
	retry := &temporal.RetryPolicy{
		InitialInterval:    15 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    15 * time.Minute,
	}
	tx := mspTexts(ctx)
	var secureScore *activities.SecureScore
	fetchCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		// Graph throttling or an outage may last hours; the next daily sweep takes over after that.
		ScheduleToCloseTimeout: 12 * time.Hour,
		RetryPolicy:            retry,
		Summary:                tx.T("ui.sweep.read", "Tenant", input.TenantID),
	})
	var snapshot lifecycle.TenantSnapshot
	if err := workflow.ExecuteActivity(fetchCtx, secureScore.FetchSnapshot, input.TenantID).Get(ctx, &snapshot); err != nil {
		return result, err
	}
	result.TakenAt, result.GraphRequests, result.InScope = snapshot.TakenAt, snapshot.GraphRequests, len(snapshot.Controls)
	result.UnseenProducts = snapshot.UnseenProducts
	for _, c := range snapshot.Controls {
		if c.Open {
			result.Open = append(result.Open, c.ID)
		}
	}

	// The store records the day beside the delivery, so a store that is
	// down delays no recommendation. Recording is new since v0.1.0, whose
	// sweeps do not: the branch can go when no sweep of v0.1.0 is running.
	var recorded workflow.Future
	if workflow.GetVersion(ctx, "record-snapshots", workflow.DefaultVersion, 1) == 1 {
		var history *activities.History
		recordCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			StartToCloseTimeout: time.Minute, ScheduleToCloseTimeout: 12 * time.Hour, RetryPolicy: retry,
			Summary: tx.T("ui.sweep.record", "Tenant", input.TenantID),
		})
		recorded = workflow.ExecuteActivity(recordCtx, history.RecordSnapshot, snapshot)
	}

	var sweep *activities.Sweep
	deliverCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    10 * time.Minute,
		HeartbeatTimeout:       time.Minute,
		ScheduleToCloseTimeout: 12 * time.Hour,
		RetryPolicy:            retry,
		Summary:                tx.T("ui.sweep.deliver", "Tenant", input.TenantID),
	})
	sweepID := workflow.GetInfo(ctx).WorkflowExecution.RunID
	err := workflow.ExecuteActivity(deliverCtx, sweep.DeliverObservations, snapshot, sweepID).Get(ctx, &result.DeliveryReport)
	if recorded != nil {
		if recordErr := recorded.Get(ctx, nil); err == nil {
			err = recordErr
		}
	}
	return result, err
}
