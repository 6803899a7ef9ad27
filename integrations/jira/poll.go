package jira

import (
	"context"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// Poll finds a tenant's scoreflow tickets updated in the last window and
// routes each, for MSPs whose Jira cannot reach the gateway. The event id
// includes the update time, so one change counts once however often it is seen.
func (c *Client) Poll(ctx context.Context, router *Router, tenantID string, window time.Duration) (map[Outcome]int, error) {
	minutes := int(window.Minutes()) + 1
	tickets, err := c.Search(ctx, fmt.Sprintf(`labels = %s AND updated >= "-%dm"`, jqlString(TenantLabel(tenantID)), minutes))
	if err != nil {
		return nil, err
	}
	outcomes := map[Outcome]int{}
	for _, t := range tickets {
		outcome, err := router.Route(ctx, t.Key, "jira-poll-"+t.Key+"-"+t.Status+"-"+t.Updated, lifecycle.Person{ID: "jira-poll", Name: "Jira (polled)"}, lifecycle.SourceJiraPoll)
		if err != nil {
			return outcomes, err
		}
		outcomes[outcome]++
	}
	return outcomes, nil
}
