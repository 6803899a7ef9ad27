package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// bulkAtOnce bounds the deliveries of a bulk verdict in flight: each
// recommendation that takes the verdict then writes to Graph and Jira, and
// those limits hold across the fleet, not per tenant.
const bulkAtOnce = 8

// BulkVerdict delivers one specialist verdict on one control to each
// chosen tenant's recommendation, at most bulkAtOnce at a time, and returns
// each tenant's outcome, which a query reads while it runs. Each delivery
// is an Update with an id of its own: after a worker's crash, the retried
// delivery is taken once.
func BulkVerdict(ctx workflow.Context, in lifecycle.BulkVerdictInput) ([]lifecycle.BulkOutcome, error) {
	outcomes := make([]lifecycle.BulkOutcome, len(in.TenantIDs))
	for i, tenant := range in.TenantIDs {
		outcomes[i].TenantID = tenant
	}
	if err := workflow.SetQueryHandler(ctx, lifecycle.QueryBulkOutcomes, func() ([]lifecycle.BulkOutcome, error) {
		return outcomes, nil
	}); err != nil {
		return nil, err
	}
	words := mspTexts(ctx)
	var bulk *activities.Bulk
	running, done := 0, 0
	for i, tenant := range in.TenantIDs {
		if err := workflow.Await(ctx, func() bool { return running < bulkAtOnce }); err != nil {
			return outcomes, err
		}
		running++
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { running--; done++ }()
			step := withActivity(ctx, time.Minute, words.T("ui.bulk.deliver", "Tenant", tenant, "Verdict", string(in.Verdict)))
			var outcome lifecycle.BulkOutcome
			if err := workflow.ExecuteActivity(step, bulk.DeliverVerdict, lifecycle.BulkDelivery{BulkVerdictInput: in, TenantID: tenant}).Get(ctx, &outcome); err != nil {
				outcome = lifecycle.BulkOutcome{TenantID: tenant, Outcome: lifecycle.BulkSkipped, Why: err.Error()}
			}
			outcomes[i] = outcome
		})
	}
	err := workflow.Await(ctx, func() bool { return done == len(in.TenantIDs) })
	return outcomes, err
}
