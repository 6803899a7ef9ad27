package activities

import (
	"context"
	"fmt"
	"sort"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/lifecycle"
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
	query := fmt.Sprintf("WorkflowType = '%s' AND ExecutionStatus = 'Running' AND %s = '%s'",
		lifecycle.RecommendationWorkflowType, lifecycle.TenantIDKey.GetName(), tenantID)
	var items []lifecycle.DigestItem
	var token []byte
	for {
		resp, err := d.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("listing open decisions of %s: %w", tenantID, err)
		}
		for _, e := range resp.Executions {
			value, err := d.Client.QueryWorkflow(ctx, e.Execution.WorkflowId, e.Execution.RunId, lifecycle.QueryState)
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", e.Execution.WorkflowId, err)
			}
			var st lifecycle.RecommendationState
			if err := value.Get(&st); err != nil {
				return nil, err
			}
			if st.Stage != lifecycle.StageAwaitingDecision || st.Critical {
				continue
			}
			items = append(items, lifecycle.DigestItem{WorkflowID: e.Execution.WorkflowId, ControlTitle: st.ControlTitle,
				TicketKey: st.TicketKey, Facts: st.Facts, PreAssessment: st.PreAssessment, Advice: st.Advice, WaitingSince: st.StageSince})
		}
		if token = resp.NextPageToken; len(token) == 0 {
			sort.SliceStable(items, func(i, j int) bool { return items[i].WaitingSince.Before(items[j].WaitingSince) })
			return items, nil
		}
	}
}
