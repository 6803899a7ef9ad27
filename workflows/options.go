package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Outside systems may be down for hours; the activities retry without limit,
// backing off to every ten minutes, and the Web UI shows why they wait.
var outsideRetry = &temporal.RetryPolicy{
	InitialInterval:    5 * time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    10 * time.Minute,
}

// withActivity labels an activity for the Web UI and gives it the outside retry.
func withActivity(ctx workflow.Context, timeout time.Duration, summary string) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		RetryPolicy:         outsideRetry,
		Summary:             summary,
	})
}

func ticketStep(ctx workflow.Context, summary string) workflow.Context {
	return withActivity(ctx, time.Minute, summary)
}

func chatStep(ctx workflow.Context, summary string) workflow.Context {
	return withActivity(ctx, 30*time.Second, summary)
}

// mailStep sends a mail through Graph: a minute covers the look for a mail
// sent before and the send.
func mailStep(ctx workflow.Context, summary string) workflow.Context {
	return withActivity(ctx, time.Minute, summary)
}

func graphStep(ctx workflow.Context, summary string) workflow.Context {
	return withActivity(ctx, 2*time.Minute, summary)
}
