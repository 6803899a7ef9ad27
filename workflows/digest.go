package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// TenantDigest posts the tenant's regular-meeting digest (docs/lifecycle.md):
// the meeting report's link and every open non-critical decision, each with
// its own buttons, until decided.
func TenantDigest(ctx workflow.Context, tenantID string) (int, error) {
	words := mspTexts(ctx)
	var digest *activities.Digest
	var items []lifecycle.DigestItem
	listCtx := withActivity(ctx, time.Minute, words.T("ui.digest.list", "Tenant", tenantID))
	if err := workflow.ExecuteActivity(listCtx, digest.OpenDecisions, tenantID).Get(ctx, &items); err != nil {
		return 0, err
	}
	// With nothing to decide the digest still brings the meeting report's
	// link, when the dashboard serves one (the chat posts nothing else);
	// runs before that posted nothing.
	if len(items) == 0 && workflow.GetVersion(ctx, digestLinksReport, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return 0, nil
	}
	var chat *activities.Chat
	request := lifecycle.DigestRequest{TenantID: tenantID, DigestID: workflow.GetInfo(ctx).WorkflowExecution.RunID, Items: items}
	if err := workflow.ExecuteActivity(chatStep(ctx, words.T("ui.chat.digest")), chat.PostDigest, request).Get(ctx, nil); err != nil {
		return 0, err
	}
	if !tellsByMail(ctx) {
		return len(items), nil
	}
	var mail *activities.Mail
	return len(items), workflow.ExecuteActivity(mailStep(ctx, words.T("ui.mail.digest")), mail.MailDigest, request).Get(ctx, nil)
}

// digestLinksReport versions the digest with no decision: it posts the
// meeting report's link.
const digestLinksReport = "digest-links-report"
