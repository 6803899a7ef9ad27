package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	commonpb "go.temporal.io/api/common/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/converter"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

func runList(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("list")
	tenant := fs.String("tenant", "", "only this tenant")
	stage := fs.String("stage", "", "only this stage")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return fmt.Errorf("%w: %v", errUsage, orExtra(err, fs.Args()))
	}
	// Both values are checked against closed sets, so they are safe inside the query.
	var clauses []string
	if *tenant != "" {
		if err := env.tenant(*tenant); err != nil {
			return err
		}
		clauses = append(clauses, lifecycle.TenantQuery(*tenant))
	}
	if *stage != "" {
		if !lifecycle.Stage(*stage).Valid() {
			return fmt.Errorf("%w: unknown stage %q (stages: %v)", errUsage, *stage, lifecycle.AllStages)
		}
		clauses = append(clauses, fmt.Sprintf("%s = '%s'", lifecycle.StageKey.GetName(), *stage))
	}
	table := tabwriter.NewWriter(env.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, env.texts.T("cli.list.header"))
	err := temporalclient.EachWorkflow(ctx, env.client, lifecycle.RecommendationsQuery(clauses...), func(e *workflowpb.WorkflowExecutionInfo) error {
		fields := e.GetSearchAttributes().GetIndexedFields()
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\t%s\t%s\n",
			decode(fields[lifecycle.TenantIDKey.GetName()]), decode(fields[lifecycle.ControlIDKey.GetName()]),
			decode(fields[lifecycle.StageKey.GetName()]), decode(fields[lifecycle.CriticalKey.GetName()]),
			strings.ToLower(strings.TrimPrefix(e.Status.String(), "WORKFLOW_EXECUTION_STATUS_")),
			e.StartTime.AsTime().Format("2006-01-02 15:04"))
		return nil
	})
	if err != nil {
		return fmt.Errorf("listing workflows: %w", err)
	}
	return table.Flush()
}

// decode renders a search attribute payload as text ("-" when unset).
func decode(payload *commonpb.Payload) string {
	if payload == nil {
		return "-"
	}
	var value any
	if err := converter.GetDefaultDataConverter().FromPayload(payload, &value); err != nil {
		return "?"
	}
	return fmt.Sprint(value)
}

func orExtra(err error, extra []string) any {
	if err != nil {
		return err
	}
	return fmt.Sprintf("unexpected arguments %v", extra)
}
