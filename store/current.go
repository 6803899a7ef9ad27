package store

import (
	"context"
	"fmt"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// What the dashboard shows of a tenant now: each control's latest values,
// and where each recommendation stands.

// Controls are each of the tenant's controls' latest values, by control id.
func (s *DB) Controls(ctx context.Context, tenantID string) ([]ControlDay, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT control_id, day, title, service, score, max_score, state, deprecated, demo
		FROM control_scores c WHERE tenant_id = $1 AND day = (SELECT MAX(day) FROM control_scores latest
			WHERE latest.tenant_id = c.tenant_id AND latest.control_id = c.control_id)
		ORDER BY control_id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.where, err)
	}
	defer rows.Close()
	var controls []ControlDay
	for rows.Next() {
		c, err := scanControlDay(rows)
		if err != nil {
			return nil, err
		}
		controls = append(controls, c)
	}
	return controls, rows.Err()
}

// LatestSteps are the latest step of each of the tenant's recommendations
// (of a control's latest chain of runs), by control id: the stage it is in,
// since when, and its tickets.
func (s *DB) LatestSteps(ctx context.Context, tenantID string) ([]lifecycle.TransitionRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+transitionColumns+` FROM (
			SELECT *, ROW_NUMBER() OVER (PARTITION BY control_id ORDER BY at DESC, seq DESC) AS latest
			FROM transitions WHERE tenant_id = $1) steps
		WHERE latest = 1 ORDER BY control_id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.where, err)
	}
	return scanTransitions(rows)
}
