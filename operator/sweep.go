package operator

import (
	"context"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// runSweep runs a tenant's sweep now and waits for what it found. A sweep
// of the same tenant already running (scheduled or manual) is joined, not doubled.
func runSweep(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("sweep")
	tenant := fs.String("tenant", "", "the tenant to sweep")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *tenant == "" {
		return fmt.Errorf("%w: --tenant is required", errUsage)
	}
	if err := env.tenant(*tenant); err != nil {
		return err
	}
	run, err := env.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       lifecycle.SweepScheduleID(*tenant) + "/manual",
		TaskQueue:                env.cfg.Temporal.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		TypedSearchAttributes:    temporal.NewSearchAttributes(lifecycle.TenantIDKey.ValueSet(*tenant)),
		StaticSummary:            env.texts.T("ui.operator.sweep", "Tenant", *tenant),
		Memo:                     lifecycle.MSPMemo(string(env.cfg.MSPLanguage)),
	}, lifecycle.TenantSweepWorkflowType, lifecycle.SweepInput{TenantID: *tenant})
	if err != nil {
		return fmt.Errorf("starting the sweep: %w", err)
	}
	var result lifecycle.SweepResult
	if err := run.Get(ctx, &result); err != nil {
		return fmt.Errorf("sweep %s: %w", run.GetID(), err)
	}
	fmt.Fprintf(env.out, "tenant:          %s\n", result.TenantID)
	fmt.Fprintf(env.out, "snapshot:        %s\n", result.TakenAt.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(env.out, "graph requests:  %d\n", result.GraphRequests)
	fmt.Fprintf(env.out, "in scope:        %d controls, %d open\n", result.InScope, len(result.Open))
	if len(result.UnseenProducts) > 0 {
		fmt.Fprintf(env.out, "not in Graph:    %s (products entries no profile of the tenant has: a typo?)\n", strings.Join(result.UnseenProducts, " "))
	}
	fmt.Fprintf(env.out, "started:         %d %s\n", len(result.Started), strings.Join(result.Started, " "))
	fmt.Fprintf(env.out, "updated:         %d %s\n", len(result.Fed), strings.Join(result.Fed, " "))
	fmt.Fprintf(env.out, "no longer open:  %d %s\n", len(result.Closed), strings.Join(result.Closed, " "))
	return nil
}
