package activities

import (
	"context"
	"fmt"
	"sort"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// Digest gathers a tenant's open non-critical decisions for its regular meeting.
type Digest struct {
	Client client.Client
}

// OpenDecisions lists the recommendations awaiting a non-critical decision,
// longest waiting first, with what the customer needs to decide. It asks each
// running recommendation its state rather than filtering on the Stage search
// attribute, which visibility may index seconds after a decision.
func (d *Digest) OpenDecisions(ctx context.Context, tenantID string) ([]lifecycle.DigestItem, error) {
	recommendations := delivery.Client{Temporal: d.Client}
	var items []lifecycle.DigestItem
	err := temporalclient.EachWorkflow(ctx, d.Client, lifecycle.RecommendationsQuery(lifecycle.RunningQuery, lifecycle.TenantQuery(tenantID)),
		func(e *workflowpb.WorkflowExecutionInfo) error {
			st, err := recommendations.State(ctx, e.Execution.WorkflowId, e.Execution.RunId)
			if err != nil || st.Stage != lifecycle.StageAwaitingDecision || st.Critical {
				return err
			}
			items = append(items, lifecycle.DigestItem{WaitingSince: st.StageSince, DecisionSubject: lifecycle.DecisionSubject{
				WorkflowID: e.Execution.WorkflowId, ControlTitle: st.ControlTitle, TicketKey: st.TicketKey,
				Facts: st.Facts, PreAssessment: st.PreAssessment, Advice: st.Advice}})
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("listing the open decisions of %s: %w", tenantID, err)
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].WaitingSince.Before(items[j].WaitingSince) })
	return items, nil
}
