package app

import (
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/workflows"
)

// register puts every workflow and activity on the worker, once, under the
// names the rest of scoreflow starts them by.
func register(w sdkworker.Registry, activities []any) {
	w.RegisterWorkflowWithOptions(workflows.RecommendationWorkflow, workflow.RegisterOptions{Name: lifecycle.RecommendationWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.TenantSweep, workflow.RegisterOptions{Name: lifecycle.TenantSweepWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.TicketPoll, workflow.RegisterOptions{Name: lifecycle.TicketPollWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.TenantDigest, workflow.RegisterOptions{Name: lifecycle.TenantDigestWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.PruneHistory, workflow.RegisterOptions{Name: lifecycle.PruneHistoryWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.BulkVerdict, workflow.RegisterOptions{Name: lifecycle.BulkVerdictWorkflowType})
	for _, a := range activities {
		w.RegisterActivity(a)
	}
}
