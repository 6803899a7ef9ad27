package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
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
	words := env.texts
	table := tabwriter.NewWriter(env.out, 0, 4, 2, ' ', 0)
	line := func(label, value string) { fmt.Fprintf(table, "%s\t%s\n", words.T(label), value) }
	line("cli.sweep.tenant", result.TenantID)
	line("cli.sweep.snapshot", result.TakenAt.Format("2006-01-02 15:04 MST"))
	line("cli.sweep.requests", strconv.Itoa(result.GraphRequests))
	line("cli.sweep.in_scope", words.Count("cli.sweep.in_scope_value", result.InScope, "Open", len(result.Open)))
	if len(result.UnseenProducts) > 0 {
		line("cli.sweep.unseen", words.T("cli.sweep.unseen_value", "Products", strings.Join(result.UnseenProducts, " ")))
	}
	line("cli.sweep.started", fmt.Sprintf("%d %s", len(result.Started), strings.Join(result.Started, " ")))
	line("cli.sweep.updated", fmt.Sprintf("%d %s", len(result.Fed), strings.Join(result.Fed, " ")))
	line("cli.sweep.unchanged", strconv.Itoa(len(result.Unchanged)))
	line("cli.sweep.closed", fmt.Sprintf("%d %s", len(result.Closed), strings.Join(result.Closed, " ")))
	return table.Flush()
}
