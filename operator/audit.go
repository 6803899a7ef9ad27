package operator

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	workflowpb "go.temporal.io/api/workflow/v1"

	"github.com/scoreflow/scoreflow/cluster"
	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/messenger"
)

// auditRow is one transition of one recommendation.
type auditRow struct {
	At         time.Time
	Tenant     string
	Control    string
	From       lifecycle.Stage
	To         lifecycle.Stage
	ByID       string
	ByName     string
	Source     lifecycle.Source
	Reason     string
	WorkflowID string
	RunID      string
}

// runAudit prints every transition of the tenant's recommendations since a
// moment, who and when, for the managers' audit.
func runAudit(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("audit")
	tenant := fs.String("tenant", "", "the tenant to audit")
	since := fs.String("since", "90d", "how far back, e.g. 90d or 36h")
	format := fs.String("format", "csv", "csv or json")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *tenant == "" {
		return fmt.Errorf("%w: --tenant is required", errUsage)
	}
	window, err := config.ParseDuration(*since)
	if err != nil {
		return fmt.Errorf("%w: --since: %v", errUsage, err)
	}
	if *format != "csv" && *format != "json" {
		return fmt.Errorf("%w: --format is csv or json", errUsage)
	}
	if err := env.tenant(*tenant); err != nil {
		return err
	}
	from := time.Now().Add(-window)
	rows, err := env.transitions(ctx, *tenant, from)
	if err != nil {
		return err
	}
	if *format == "json" {
		encoder := json.NewEncoder(env.out)
		encoder.SetIndent("", "  ")
		return encoder.Encode(rows)
	}
	w := csv.NewWriter(env.out)
	_ = w.Write([]string{"time", "tenant", "control", "from", "to", "by_id", "by_name", "source", "reason", "workflow_id", "run_id"})
	for _, r := range rows {
		_ = w.Write([]string{r.At.UTC().Format(time.RFC3339), r.Tenant, r.Control, string(r.From), string(r.To),
			r.ByID, r.ByName, string(r.Source), r.Reason, r.WorkflowID, r.RunID})
	}
	w.Flush()
	return w.Error()
}

// transitions reads every run of the tenant's recommendations that was open
// after from, and keeps their transitions since then, oldest first.
func (env *environment) transitions(ctx context.Context, tenant string, from time.Time) ([]auditRow, error) {
	recommendations := messenger.Client{Temporal: env.client}
	var rows []auditRow
	query := lifecycle.RecommendationsQuery(lifecycle.TenantQuery(tenant),
		fmt.Sprintf("(%s OR CloseTime >= '%s')", lifecycle.RunningQuery, from.UTC().Format(time.RFC3339)))
	err := cluster.EachWorkflow(ctx, env.client, query, func(e *workflowpb.WorkflowExecutionInfo) error {
		if e.Status == enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW {
			return nil // its transitions travelled to the next run, which is listed too
		}
		state, err := recommendations.State(ctx, e.Execution.WorkflowId, e.Execution.RunId)
		if err != nil {
			return err
		}
		for _, t := range state.Transitions {
			if !t.At.Before(from) {
				rows = append(rows, auditRow{At: t.At, Tenant: tenant, Control: state.ControlID, From: t.From, To: t.To,
					ByID: t.By.ID, ByName: t.By.Name, Source: t.Source, Reason: t.Reason,
					WorkflowID: e.Execution.WorkflowId, RunID: e.Execution.RunId})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing recommendations: %w", err)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].At.Before(rows[j].At) })
	return rows, nil
}
