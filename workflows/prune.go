package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
)

// PruneHistory deletes from the store what is older than store.retention,
// in bounded batches; a daily Schedule runs it. It returns how many rows
// it deleted.
func PruneHistory(ctx workflow.Context) (int, error) {
	var history *activities.History
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         outsideRetry,
		Summary:             mspTexts(ctx).T("ui.store.prune"),
	})
	var deleted int
	err := workflow.ExecuteActivity(ctx, history.PruneHistory).Get(ctx, &deleted)
	return deleted, err
}
