package activities

import (
	"context"
	"time"

	"github.com/scoreflow/scoreflow/integrations/jira"
)

// JiraPoll reads recently updated tickets when webhooks cannot reach the gateway.
type JiraPoll struct {
	Client *jira.Client
	Router *jira.Router
	// Window is how far back each poll looks: twice the interval, so a missed run loses nothing.
	Window time.Duration
}

// PollTickets routes each recently updated ticket of the tenant, as a webhook would.
func (p *JiraPoll) PollTickets(ctx context.Context, tenantID string) (map[string]int, error) {
	if p.Client == nil {
		return nil, notConfigured("Jira")
	}
	outcomes, err := p.Client.Poll(ctx, p.Router, tenantID, p.Window)
	counts := map[string]int{}
	for outcome, n := range outcomes {
		counts[string(outcome)] = n
	}
	return counts, err
}
