package slack

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// PostAlert posts a tenant's score-drop alert in the MSP's alert channel,
// in the MSP's language, once per tenant per day.
func (c *Client) PostAlert(ctx context.Context, alert lifecycle.ScoreAlert) error {
	channel := c.cfg.AlertChannel
	if channel == "" {
		return nil
	}
	key := "alert/" + alert.TenantID + "/" + alert.Day.Format("2006-01-02")
	if ts, err := c.find(ctx, channel, "", key); err != nil || ts != "" {
		return err
	}
	text := escapeText(texts.For(c.cfg.MSPLanguage).Alert(alert))
	if _, _, err := c.api.PostMessageContext(ctx, channel, slack.MsgOptionText(text, false), metadata(key)); err != nil {
		return fmt.Errorf("slack: posting the alert of %s: %w", alert.TenantID, err)
	}
	return nil
}
