package jira

import (
	"context"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Poll finds a tenant's scoreflow tickets updated in the last window and
// routes each, for MSPs whose Jira cannot reach the gateway. The event id
// includes the update time, so one change counts once however often it is
// seen. The changelog, read in the same search, names who moved each ticket,
// as a webhook does.
func (c *Client) Poll(ctx context.Context, router *Router, tenantID string, window time.Duration) (map[Outcome]int, error) {
	minutes := int(window.Minutes()) + 1
	tickets, err := c.search(ctx, fmt.Sprintf(`labels = %s AND updated >= "-%dm"`, jqlString(TenantLabel(tenantID)), minutes), "changelog")
	if err != nil {
		return nil, err
	}
	outcomes := map[Outcome]int{}
	for _, t := range tickets {
		by := t.StatusSetBy
		if by.ID == "" {
			by = unknownMover
		}
		outcome, err := router.Route(ctx, t.Key, "jira-poll-"+t.Key+"-"+t.Status+"-"+t.Updated, by, lifecycle.SourceJiraPoll)
		if err != nil {
			return outcomes, err
		}
		outcomes[outcome]++
	}
	return outcomes, nil
}

// unknownMover stands for whoever moved a ticket when its changelog names no
// one: Jira's own automation, or a change older than the changelog returned.
var unknownMover = lifecycle.Person{ID: "jira-poll", Name: "Jira (polled)"}

// Poller polls one tenant's tickets at a time for the ticket poll activity,
// looking back Window each time (twice the polling interval, so a missed
// run loses nothing).
type Poller struct {
	Client *Client
	Router *Router
	Window time.Duration
}

// Poll routes the tenant's recently moved tickets and counts each outcome.
func (p Poller) Poll(ctx context.Context, tenantID string) (map[string]int, error) {
	outcomes, err := p.Client.Poll(ctx, p.Router, tenantID, p.Window)
	counts := map[string]int{}
	for outcome, n := range outcomes {
		counts[string(outcome)] = n
	}
	return counts, err
}
