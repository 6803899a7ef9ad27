package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// TenantDigest posts the tenant's regular-meeting digest (docs/lifecycle.md):
// every open non-critical decision, each with its own buttons, until decided.
func TenantDigest(ctx workflow.Context, tenantID string) (int, error) {
	words := mspTexts(ctx)
	var digest *activities.Digest
	var items []lifecycle.DigestItem
	listCtx := withActivity(ctx, time.Minute, words.T("ui.digest.list", "Tenant", tenantID))
	if err := workflow.ExecuteActivity(listCtx, digest.OpenDecisions, tenantID).Get(ctx, &items); err != nil {
		return 0, err
	}
	if len(items) == 0 {
		return 0, nil // nothing to decide: no empty digest in the customer's channel
	}
	var chat *activities.Chat
	request := lifecycle.DigestRequest{TenantID: tenantID, DigestID: workflow.GetInfo(ctx).WorkflowExecution.RunID, Items: items}
	err := workflow.ExecuteActivity(chatStep(ctx, words.T("ui.chat.digest")), chat.PostDigest, request).Get(ctx, nil)
	return len(items), err
}
