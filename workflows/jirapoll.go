package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
)

// JiraPoll is the polling fallback for MSPs whose Jira cannot reach the
// gateway: a schedule runs it per tenant, and it feeds the webhook's path.
func JiraPoll(ctx workflow.Context, tenantID string) (map[string]int, error) {
	var poll *activities.JiraPoll
	ctx = withActivity(ctx, 2*time.Minute, "Jira: read the recently updated tickets of "+tenantID)
	var outcomes map[string]int
	err := workflow.ExecuteActivity(ctx, poll.PollTickets, tenantID).Get(ctx, &outcomes)
	return outcomes, err
}
