package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// CheckScoreDrop compares a tenant's recorded score of a day with the
// latest recorded day before it, and the day's control rows with each
// control's row before. A drop of at least threshold points, or a control
// that was at its maximum and fell, is an alert: recorded once per tenant
// and day, and returned with Raise set until MarkAlertRaised. ok is false
// when the day raises no alert.
func (s *DB) CheckScoreDrop(ctx context.Context, check lifecycle.AlertCheck, threshold float64) (alert lifecycle.ScoreAlert, ok bool, err error) {
	if err := s.open(ctx); err != nil {
		return alert, false, err
	}
	alert = lifecycle.ScoreAlert{TenantID: check.TenantID, Day: Day(check.Day)}
	var scores []float64
	err = queryEach(ctx, s.db.QueryContext, func(rows *sql.Rows) error {
		var score float64
		err := rows.Scan(&score)
		scores = append(scores, score)
		return err
	}, `SELECT current_score FROM tenant_scores WHERE tenant_id = $1 AND day <= $2 ORDER BY day DESC LIMIT 2`,
		check.TenantID, formatDay(alert.Day))
	if err != nil || len(scores) < 2 {
		return alert, false, s.failed(err)
	}
	alert.After, alert.Before = scores[0], scores[1]
	err = queryEach(ctx, s.db.QueryContext, func(rows *sql.Rows) error {
		var f lifecycle.ControlFall
		var maxBefore float64
		err := rows.Scan(&f.ControlID, &f.Title, &f.After, &f.Before, &maxBefore)
		f.Regressed = f.Before >= maxBefore && maxBefore > 0
		alert.Fell = append(alert.Fell, f)
		return err
	}, `SELECT c.control_id, c.title, c.score, p.score, p.max_score FROM control_scores c
		JOIN control_scores p ON p.tenant_id = c.tenant_id AND p.control_id = c.control_id
			AND p.day = (SELECT MAX(day) FROM control_scores b WHERE b.tenant_id = c.tenant_id AND b.control_id = c.control_id AND b.day < c.day)
		WHERE c.tenant_id = $1 AND c.day = $2 AND c.score < p.score ORDER BY p.score - c.score DESC, c.control_id`,
		check.TenantID, formatDay(alert.Day))
	if err != nil {
		return alert, false, s.failed(err)
	}
	regressed := false
	for _, f := range alert.Fell {
		regressed = regressed || f.Regressed
	}
	if alert.Drop() < threshold && !regressed {
		return alert, false, nil
	}
	controls, err := json.Marshal(alert.Fell)
	if err != nil {
		return alert, false, err
	}
	raised := false
	err = s.inTx(ctx, func(tx writeTx) error {
		if _, err := tx.exec(ctx, insertAlert, check.TenantID, formatDay(alert.Day), alert.Before, alert.After, string(controls)); err != nil {
			return fmt.Errorf("recording the alert of %s: %w", check.TenantID, err)
		}
		return tx.QueryRowContext(ctx, `SELECT raised FROM alerts WHERE tenant_id = $1 AND day = $2`, check.TenantID, formatDay(alert.Day)).Scan(&raised)
	})
	alert.Raise = !raised
	return alert, true, err
}

const insertAlert = `INSERT INTO alerts (tenant_id, day, before_score, after_score, controls) VALUES ($1, $2, $3, $4, $5)
	ON CONFLICT (tenant_id, day) DO NOTHING`

// MarkAlertRaised records that the MSP was told of a tenant's alert of a day.
func (s *DB) MarkAlertRaised(ctx context.Context, tenantID string, day time.Time) error {
	return s.setAlert(ctx, `UPDATE alerts SET raised = TRUE WHERE tenant_id = $1 AND day = $2`, tenantID, formatDay(Day(day)))
}

// AcknowledgeAlert records who acknowledged a tenant's alert of a day: it no longer shows.
func (s *DB) AcknowledgeAlert(ctx context.Context, tenantID string, day time.Time, by string, at time.Time) error {
	return s.setAlert(ctx, `UPDATE alerts SET acknowledged_by = $1, acknowledged_at = $2 WHERE tenant_id = $3 AND day = $4`,
		by, formatInstant(at), tenantID, formatDay(Day(day)))
}

func (s *DB) setAlert(ctx context.Context, query string, args ...any) error {
	if err := s.open(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx writeTx) error {
		_, err := tx.exec(ctx, query, args...)
		return err
	})
}

// OpenAlerts are the alerts that still show, by tenant, newest first: not
// acknowledged, and the tenant's latest score below where it was before;
// of one tenant, or of every tenant when tenantID is "".
func (s *DB) OpenAlerts(ctx context.Context, tenantID string) (map[string][]lifecycle.ScoreAlert, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	open := map[string][]lifecycle.ScoreAlert{}
	err := queryEach(ctx, s.db.QueryContext, func(rows *sql.Rows) error {
		var a lifecycle.ScoreAlert
		var day, controls string
		if err := rows.Scan(&a.TenantID, &day, &a.Before, &a.After, &controls); err != nil {
			return err
		}
		var err error
		if a.Day, err = parseDay(day); err == nil {
			err = json.Unmarshal([]byte(controls), &a.Fell)
		}
		open[a.TenantID] = append(open[a.TenantID], a)
		return err
	}, `SELECT a.tenant_id, a.day, a.before_score, a.after_score, a.controls FROM alerts a
		WHERE ($1 = '' OR a.tenant_id = $1) AND a.acknowledged_at = '' AND a.before_score >
			(SELECT current_score FROM tenant_scores s WHERE s.tenant_id = a.tenant_id ORDER BY day DESC LIMIT 1)
		ORDER BY a.tenant_id, a.day DESC`, tenantID)
	return open, s.failed(err)
}
