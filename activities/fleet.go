package activities

import (
	"context"

	"go.temporal.io/sdk/activity"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// FleetRecords tell what the MSP's other customers did with controls
// (internal/fleet): the experience a decision's message, mail and ticket
// carry. One call reads the fleet once, for every control asked.
type FleetRecords interface {
	Records(ctx context.Context, tenantID string, controlIDs ...string) (map[string]lifecycle.FleetRecord, error)
}

// withFleet adds the fleet's record to what the customer is asked, from one
// read of the fleet however many subjects there are.
func withFleet(ctx context.Context, fleet FleetRecords, tenantID string, subjects ...*lifecycle.DecisionSubject) {
	controlIDs := make([]string, len(subjects))
	for i, s := range subjects {
		_, controlIDs[i], _ = lifecycle.ParseRecommendationWorkflowID(s.WorkflowID)
	}
	records := fleetRecords(ctx, fleet, tenantID, controlIDs...)
	for i, s := range subjects {
		if record, known := records[controlIDs[i]]; known && controlIDs[i] != "" {
			s.Fleet = &record
		}
	}
}

// fleetRecords are what the tenants other than tenantID did with the
// controls; none without a fleet, or when the store does not answer, which
// costs the message or the ticket its record, never the message or the
// ticket.
func fleetRecords(ctx context.Context, fleet FleetRecords, tenantID string, controlIDs ...string) map[string]lifecycle.FleetRecord {
	if fleet == nil {
		return nil
	}
	records, err := fleet.Records(ctx, tenantID, controlIDs...)
	if err != nil {
		logging.WriteSDK(activity.GetLogger(ctx).Warn, "log.fleet.unread", "Tenant", tenantID, "Error", err)
		return nil
	}
	return records
}

// digestSubjects are the digest's items, to be told the fleet's record.
func digestSubjects(d lifecycle.DigestRequest) []*lifecycle.DecisionSubject {
	subjects := make([]*lifecycle.DecisionSubject, len(d.Items))
	for i := range d.Items {
		subjects[i] = &d.Items[i].DecisionSubject
	}
	return subjects
}
