package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
)

// TicketPoll is the polling fallback for MSPs whose ticket system cannot
// reach the gateway: a schedule runs it per tenant, and it feeds the
// webhook's path. It returns how many moved tickets had each outcome.
func TicketPoll(ctx workflow.Context, tenantID string) (map[string]int, error) {
	var poll *activities.TicketPoll
	ctx = withActivity(ctx, 2*time.Minute, mspTexts(ctx).T("ui.ticket.poll", "Tenant", tenantID))
	var outcomes map[string]int
	err := workflow.ExecuteActivity(ctx, poll.PollTickets, tenantID).Get(ctx, &outcomes)
	return outcomes, err
}
