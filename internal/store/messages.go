package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Where in Slack each recommendation's decision was asked: the dashboard
// links to that message, and passes it on with a decision taken on the
// dashboard so that the message shows who decided.

const upsertDecisionMessage = `INSERT INTO decision_messages (tenant_id, control_id, channel, ts, posted_at) VALUES ($1, $2, $3, $4, $5)
	ON CONFLICT (tenant_id, control_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, posted_at = excluded.posted_at
	WHERE excluded.posted_at >= decision_messages.posted_at`

// RecordDecisionMessage records the message in which the decisions on some
// of a tenant's controls were asked, at a moment: a message posted earlier
// than the one recorded leaves it (a retried post of an older digest).
func (s *DB) RecordDecisionMessage(ctx context.Context, tenantID string, controlIDs []string, message lifecycle.MessageRef, postedAt time.Time) error {
	if err := s.open(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx writeTx) error {
		for _, controlID := range controlIDs {
			if _, err := tx.exec(ctx, upsertDecisionMessage, tenantID, controlID, message.Channel, message.TS, formatInstant(postedAt)); err != nil {
				return fmt.Errorf("recording the decision message of %s: %w", controlID, err)
			}
		}
		return nil
	})
}

// DecisionMessages are the messages the tenant's decisions were last asked
// in, by control id.
func (s *DB) DecisionMessages(ctx context.Context, tenantID string) (map[string]lifecycle.MessageRef, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	messages := map[string]lifecycle.MessageRef{}
	err := queryEach(ctx, s.db.QueryContext, func(rows *sql.Rows) error {
		var controlID string
		var m lifecycle.MessageRef
		err := rows.Scan(&controlID, &m.Channel, &m.TS)
		messages[controlID] = m
		return err
	}, `SELECT control_id, channel, ts FROM decision_messages WHERE tenant_id = $1`, tenantID)
	return messages, s.failed(err)
}
