package activities

import (
	"context"

	"go.temporal.io/sdk/activity"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// FleetRecords tell what the MSP's other customers did with a control
// (internal/fleet): the experience a decision's message and mail carry.
type FleetRecords interface {
	Record(ctx context.Context, controlID, tenantID string) (lifecycle.FleetRecord, error)
}

// withFleet adds the fleet's record to what the customer is asked. A store
// that does not answer costs the message its record, never the question.
func withFleet(ctx context.Context, fleet FleetRecords, tenantID string, subjects ...*lifecycle.DecisionSubject) {
	if fleet == nil {
		return
	}
	for _, s := range subjects {
		_, controlID, err := lifecycle.ParseRecommendationWorkflowID(s.WorkflowID)
		if err != nil {
			continue
		}
		record, err := fleet.Record(ctx, controlID, tenantID)
		if err != nil {
			logging.WriteSDK(activity.GetLogger(ctx).Warn, "log.fleet.unread", "Tenant", tenantID, "Error", err)
			return
		}
		s.Fleet = &record
	}
}
