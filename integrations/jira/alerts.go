package jira

import (
	"context"
	"fmt"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// OpenAlertTicket opens the ticket of a tenant's score-drop alert in the
// tenant's project, naming the controls that fell, or finds the one an
// earlier attempt opened: one per tenant per day.
func (c *Client) OpenAlertTicket(ctx context.Context, alert lifecycle.ScoreAlert) (string, error) {
	label := fmt.Sprintf("sf-alert-%s-%s", alert.TenantID, alert.Day.Format("2006-01-02"))
	if key, err := c.findStep(ctx, label); err != nil || key != "" {
		return key, err
	}
	project, err := c.project(alert.TenantID)
	if err != nil {
		return "", err
	}
	summary := c.texts.T("jira.summary.alert", "Tenant", alert.TenantName, "Drop", c.texts.Number(alert.Drop(), 2), "Day", alert.Day.Format("2006-01-02"))
	labels := []string{LabelScoreflow, TenantLabel(alert.TenantID), label}
	return c.create(ctx, project, c.cfg.IssueType, summary, c.texts.Alert(alert), labels)
}
