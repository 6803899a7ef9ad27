package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func runShow(ctx context.Context, env *environment, args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("%w: want TENANT and CONTROL", errUsage)
	}
	tenant, control := args[0], args[1]
	if err := env.tenant(tenant); err != nil {
		return err
	}
	workflowID := lifecycle.RecommendationWorkflowID(tenant, control)
	description, err := env.client.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		return fmt.Errorf("no recommendation %s: %w", workflowID, err)
	}
	state, err := delivery.Client{Temporal: env.client}.State(ctx, workflowID, "")
	if err != nil {
		return fmt.Errorf("%w (is the worker running?)", err)
	}
	info := description.WorkflowExecutionInfo
	out := struct {
		WorkflowID string
		RunID      string
		Status     string
		lifecycle.RecommendationState
	}{workflowID, info.Execution.RunId, info.Status.String(), state}
	encoder := json.NewEncoder(env.out)
	encoder.SetIndent("", "  ")
	return encoder.Encode(out)
}
