package cli

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// runDigest posts the tenant's regular-meeting digest now.
func runDigest(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("digest")
	tenant := fs.String("tenant", "", "the tenant whose digest to post")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *tenant == "" {
		return fmt.Errorf("%w: --tenant is required", errUsage)
	}
	if err := env.tenant(*tenant); err != nil {
		return err
	}
	run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    fmt.Sprintf("%s/manual-%d", lifecycle.DigestScheduleID(*tenant), time.Now().Unix()),
		TaskQueue:             env.cfg.Temporal.TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(*tenant)),
		StaticSummary:         env.texts.T("ui.operator.digest", "Tenant", *tenant),
		Memo:                  lifecycle.MSPMemo(string(env.cfg.MSPLanguage)),
	}, lifecycle.TenantDigestWorkflowType, *tenant)
	if err != nil {
		return fmt.Errorf("starting the digest: %w", err)
	}
	var items int
	if err := run.Get(ctx, &items); err != nil {
		return fmt.Errorf("digest %s: %w", run.GetID(), err)
	}
	if items == 0 {
		fmt.Fprintln(env.out, env.texts.T("cli.digest.none", "Tenant", *tenant))
		return nil
	}
	fmt.Fprintln(env.out, env.texts.Count("cli.digest.posted", items, "Tenant", *tenant))
	return nil
}
