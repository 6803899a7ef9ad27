package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// previewsAtOnce bounds the state queries of a preview.
const previewsAtOnce = 16

// PreviewBulkVerdict says, tenant by tenant, whether the control's
// recommendation takes the verdict now, and why not when it does not.
func (m Client) PreviewBulkVerdict(ctx context.Context, controlID string, verdict lifecycle.Verdict, tenantIDs []string) ([]lifecycle.BulkOutcome, error) {
	outcomes := make([]lifecycle.BulkOutcome, len(tenantIDs))
	errs := make([]error, len(tenantIDs))
	slots := make(chan struct{}, previewsAtOnce)
	var wg sync.WaitGroup
	for i, tenant := range tenantIDs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			outcomes[i], errs[i] = m.preview(ctx, tenant, controlID, verdict)
		})
	}
	wg.Wait()
	return outcomes, errors.Join(errs...)
}

func (m Client) preview(ctx context.Context, tenantID, controlID string, verdict lifecycle.Verdict) (lifecycle.BulkOutcome, error) {
	outcome := lifecycle.BulkOutcome{TenantID: tenantID, Outcome: lifecycle.BulkSkipped}
	state, err := m.State(ctx, lifecycle.RecommendationWorkflowID(tenantID, controlID), "")
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &notFound):
		outcome.Why = "no recommendation of the control"
		return outcome, nil
	case err != nil:
		return outcome, err
	}
	outcome.Stage = state.Stage
	if verdict.Stage() != state.Stage {
		outcome.Why = fmt.Sprintf("in stage %s, which does not take %s", state.Stage, verdict)
		return outcome, nil
	}
	outcome.Outcome = lifecycle.BulkToDeliver
	return outcome, nil
}

// StartBulkVerdict starts the workflow that delivers a bulk verdict; a bulk
// id started before answers with its workflow instead of a second one.
func (m Client) StartBulkVerdict(ctx context.Context, taskQueue string, in lifecycle.BulkVerdictInput) error {
	_, err := m.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: lifecycle.BulkVerdictWorkflowID(in.BulkID), TaskQueue: taskQueue,
		// A bulk id that ran before, to its end, is the same bulk verdict.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE}, lifecycle.BulkVerdictWorkflowType, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) {
		return fmt.Errorf("starting bulk verdict %s: %w", in.BulkID, err)
	}
	return nil
}

// BulkOutcomes are a bulk verdict's outcomes so far, tenant by tenant.
func (m Client) BulkOutcomes(ctx context.Context, bulkID string) ([]lifecycle.BulkOutcome, error) {
	var outcomes []lifecycle.BulkOutcome
	value, err := m.Temporal.QueryWorkflow(ctx, lifecycle.BulkVerdictWorkflowID(bulkID), "", lifecycle.QueryBulkOutcomes)
	if err == nil {
		err = value.Get(&outcomes)
	}
	if err != nil {
		return nil, fmt.Errorf("reading bulk verdict %s: %w", bulkID, err)
	}
	return outcomes, nil
}
