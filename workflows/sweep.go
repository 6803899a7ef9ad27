package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// TenantSweep is one tenant's daily detection sweep (docs/lifecycle.md,
// detected): one read of Graph, then one observation to each recommendation,
// and beside that the store's record of the day (recordSweep).
// The recommendation workflows never poll Graph; this is how they learn.
func TenantSweep(ctx workflow.Context, input lifecycle.SweepInput) (lifecycle.SweepResult, error) {
	result := lifecycle.SweepResult{TenantID: input.TenantID}
	retry := &temporal.RetryPolicy{
		InitialInterval:    15 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    15 * time.Minute,
	}
	words := mspTexts(ctx)
	var secureScore *activities.SecureScore
	fetchCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		// Graph throttling or an outage may last hours; the next daily sweep takes over after that.
		ScheduleToCloseTimeout: 12 * time.Hour,
		RetryPolicy:            retry,
		Summary:                words.T("ui.sweep.read", "Tenant", input.TenantID),
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

	recorded := recordSweep(ctx, snapshot.ForStore(), retry)

	var sweep *activities.Sweep
	deliverCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    10 * time.Minute,
		HeartbeatTimeout:       time.Minute,
		ScheduleToCloseTimeout: 12 * time.Hour,
		RetryPolicy:            retry,
		Summary:                words.T("ui.sweep.deliver", "Tenant", input.TenantID),
	})
	sweepID := workflow.GetInfo(ctx).WorkflowExecution.RunID
	err := workflow.ExecuteActivity(deliverCtx, sweep.DeliverObservations, snapshot, sweepID).Get(ctx, &result.DeliveryReport)
	if recordErr := recorded.Get(ctx, nil); err == nil {
		err = recordErr
	}
	if err == nil && workflow.GetVersion(ctx, scoreDropAlerts, workflow.DefaultVersion, 1) == 1 {
		err = raiseScoreDrop(ctx, lifecycle.AlertCheck{TenantID: input.TenantID, Day: snapshot.TakenAt})
	}
	return result, err
}

// scoreDropAlerts versions the sweep's alert on a falling score: sweeps of
// v0.2.0 raised none, and replay as they ran.
const scoreDropAlerts = "score-drop-alerts"

// raiseScoreDrop compares the day the sweep recorded with the day before,
// and tells the MSP of a drop or a regression, once per tenant and day.
func raiseScoreDrop(ctx workflow.Context, check lifecycle.AlertCheck) error {
	words := mspTexts(ctx)
	var alerts *activities.Alerts
	var alert lifecycle.ScoreAlert
	if err := workflow.ExecuteActivity(withActivity(ctx, time.Minute, words.T("ui.sweep.check_score", "Tenant", check.TenantID)),
		alerts.CheckScore, check).Get(ctx, &alert); err != nil || !alert.Raise {
		return err
	}
	return workflow.ExecuteActivity(withActivity(ctx, time.Minute, words.T("ui.sweep.alert", "Tenant", check.TenantID)), alerts.RaiseAlert, alert).Get(ctx, nil)
}

// recordSweep writes what the sweep read to the store beside the delivery,
// so a store that is down delays no recommendation: first, on a tenant's
// first sweep, Graph's 90 days before today (the backfill, which looks for
// a recorded day first, so it must come before today's), then the day read.
func recordSweep(ctx workflow.Context, snapshot lifecycle.TenantSnapshot, retry *temporal.RetryPolicy) workflow.Future {
	words := mspTexts(ctx)
	var history *activities.History
	recorded, settle := workflow.NewFuture(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		backfillCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			StartToCloseTimeout: 5 * time.Minute,
			// A backfill that fails says why in the log and waits for the next sweep.
			RetryPolicy: &temporal.RetryPolicy{MaximumAttempts: 1},
			Summary:     words.T("ui.sweep.backfill", "Tenant", snapshot.TenantID),
		})
		_ = workflow.ExecuteActivity(backfillCtx, history.BackfillDays, snapshot).Get(ctx, nil)
		recordCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			StartToCloseTimeout: time.Minute, ScheduleToCloseTimeout: 12 * time.Hour, RetryPolicy: retry,
			Summary: words.T("ui.sweep.record", "Tenant", snapshot.TenantID),
		})
		settle.Set(nil, workflow.ExecuteActivity(recordCtx, history.RecordSnapshot, snapshot).Get(ctx, nil))
	})
	return recorded
}
