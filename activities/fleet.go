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

// withFleet adds the fleet's record to what the customer is asked.
func withFleet(ctx context.Context, fleet FleetRecords, tenantID string, subjects ...*lifecycle.DecisionSubject) {
	for _, s := range subjects {
		if _, controlID, err := lifecycle.ParseRecommendationWorkflowID(s.WorkflowID); err == nil {
			s.Fleet = fleetRecord(ctx, fleet, controlID, tenantID)
		}
	}
}

// fleetRecord is what the tenants other than tenantID did with a control;
// nil without a fleet, or when the store does not answer, which costs the
// message or the ticket its record, never the message or the ticket.
func fleetRecord(ctx context.Context, fleet FleetRecords, controlID, tenantID string) *lifecycle.FleetRecord {
	if fleet == nil {
		return nil
	}
	record, err := fleet.Record(ctx, controlID, tenantID)
	if err != nil {
		logging.WriteSDK(activity.GetLogger(ctx).Warn, "log.fleet.unread", "Tenant", tenantID, "Error", err)
		return nil
	}
	return &record
}
