package activities

import "context"

// TicketPoller finds the tickets moved lately and routes each as a webhook
// would (integrations/jira), counting what became of them.
type TicketPoller interface {
	Poll(ctx context.Context, tenantID string) (map[string]int, error)
}

// TicketPoll reads moved tickets when webhooks cannot reach the gateway.
type TicketPoll struct {
	Poller TicketPoller
}

// PollTickets routes each recently moved ticket of the tenant, as a webhook would.
func (p *TicketPoll) PollTickets(ctx context.Context, tenantID string) (map[string]int, error) {
	return p.Poller.Poll(ctx, tenantID)
}
