package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// RecordDays records a tenant's Secure Score on some days, in one
// transaction: each day's score (a second record of a day replaces the
// first), each control's values on the days they differ from the day
// before, and Graph's state updates. Days may come in any order.
func (s *DB) RecordDays(ctx context.Context, tenantID string, days []TenantDay, controls []ControlDay, updates []StateUpdate) error {
	if err := s.open(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx writeTx) error {
		for _, d := range days {
			if err := recordTenantDay(ctx, tx, tenantID, d); err != nil {
				return err
			}
		}
		if err := recordControlChanges(ctx, tx, tenantID, controls); err != nil {
			return err
		}
		return recordStateUpdates(ctx, tx, tenantID, updates)
	})
}

const insertStateUpdate = `INSERT INTO control_state_updates (tenant_id, control_id, updated_at, state, updated_by, comment)
	VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`

func recordStateUpdates(ctx context.Context, tx writeTx, tenantID string, updates []StateUpdate) error {
	for _, u := range updates {
		if u.At.IsZero() {
			continue // the state a profile starts in: no one set it
		}
		if _, err := tx.exec(ctx, insertStateUpdate,
			tenantID, u.ControlID, formatInstant(u.At), u.State, u.By, u.Comment); err != nil {
			return fmt.Errorf("recording a state update of %s: %w", u.ControlID, err)
		}
	}
	return nil
}

const insertTenantDay = `INSERT INTO tenant_scores (tenant_id, day, current_score, max_score, enabled_services, comparisons, demo)
	VALUES ($1, $2, $3, $4, $5, $6, $7)
	ON CONFLICT (tenant_id, day) DO UPDATE SET current_score = excluded.current_score, max_score = excluded.max_score,
		enabled_services = excluded.enabled_services, comparisons = excluded.comparisons, demo = excluded.demo`

func recordTenantDay(ctx context.Context, tx writeTx, tenantID string, d TenantDay) error {
	services, err := json.Marshal(orEmpty(d.EnabledServices))
	if err != nil {
		return err
	}
	comparisons, err := encodeComparisons(d.Comparisons)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, insertTenantDay,
		tenantID, formatDay(d.Day), d.CurrentScore, d.MaxScore, string(services), string(comparisons), d.Demo)
	if err != nil {
		return fmt.Errorf("recording the score of %s: %w", formatDay(d.Day), err)
	}
	return nil
}

// recordControlChanges keeps a control's row on a day only when its values
// differ from its previous day's: from the newest row stored before the
// earliest day given, then from day to day of those given.
func recordControlChanges(ctx context.Context, tx writeTx, tenantID string, controls []ControlDay) error {
	if len(controls) == 0 {
		return nil
	}
	sorted := slices.Clone(controls)
	slices.SortFunc(sorted, func(a, b ControlDay) int {
		return cmp.Or(strings.Compare(a.ControlID, b.ControlID), a.Day.Compare(b.Day))
	})
	byDay := func(a, b ControlDay) int { return a.Day.Compare(b.Day) }
	earliest, latest := slices.MinFunc(sorted, byDay).Day, slices.MaxFunc(sorted, byDay).Day
	previous, err := latestControlDays(ctx, tx, tenantID, earliest)
	if err != nil {
		return err
	}
	recorded, err := recordedControlDays(ctx, tx, tenantID, earliest, latest)
	if err != nil {
		return err
	}
	for _, c := range sorted {
		before, known := previous[c.ControlID]
		previous[c.ControlID] = c
		if known && c.same(before) {
			// Unchanged: no row, and none left by an earlier record of the same day.
			if recorded[controlDayKey{c.ControlID, formatDay(c.Day)}] {
				if _, err := tx.exec(ctx, deleteControlDay,
					tenantID, c.ControlID, formatDay(c.Day)); err != nil {
					return err
				}
			}
			continue
		}
		if _, err := tx.exec(ctx, upsertControlDay,
			tenantID, c.ControlID, formatDay(c.Day), c.Title, c.Service, c.Score, c.MaxScore, c.State, c.Deprecated, c.Demo); err != nil {
			return fmt.Errorf("recording %s on %s: %w", c.ControlID, formatDay(c.Day), err)
		}
	}
	return nil
}

const (
	upsertControlDay = `INSERT INTO control_scores
		(tenant_id, control_id, day, title, service, score, max_score, state, deprecated, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (tenant_id, control_id, day) DO UPDATE SET title = excluded.title, service = excluded.service,
			score = excluded.score, max_score = excluded.max_score, state = excluded.state,
			deprecated = excluded.deprecated, demo = excluded.demo`
	deleteControlDay = `DELETE FROM control_scores WHERE tenant_id = $1 AND control_id = $2 AND day = $3`
)

type controlDayKey struct{ controlID, day string }

// recordedControlDays are the control rows already stored between two days.
const selectRecordedControlDays = `SELECT control_id, day FROM control_scores WHERE tenant_id = $1 AND day >= $2 AND day <= $3`

func recordedControlDays(ctx context.Context, tx writeTx, tenantID string, from, to time.Time) (map[controlDayKey]bool, error) {
	recorded := map[controlDayKey]bool{}
	err := queryEach(ctx, tx.query, func(rows *sql.Rows) error {
		var k controlDayKey
		if err := rows.Scan(&k.controlID, &k.day); err != nil {
			return err
		}
		recorded[k] = true
		return nil
	}, selectRecordedControlDays, tenantID, formatDay(from), formatDay(to))
	if err != nil {
		return nil, fmt.Errorf("reading the controls' rows of the days: %w", err)
	}
	return recorded, nil
}

// latestControlDays are each control's newest row before a day.
const selectLatestControlDays = `SELECT ` + controlDayColumns + ` FROM (
		SELECT c.*, ROW_NUMBER() OVER (PARTITION BY control_id ORDER BY day DESC) AS newest
		FROM control_scores c WHERE tenant_id = $1 AND day < $2) latest
	WHERE newest = 1`

func latestControlDays(ctx context.Context, tx writeTx, tenantID string, before time.Time) (map[string]ControlDay, error) {
	latest := map[string]ControlDay{}
	err := queryEach(ctx, tx.query, func(rows *sql.Rows) error {
		c, err := scanControlDay(rows)
		latest[c.ControlID] = c
		return err
	}, selectLatestControlDays, tenantID, formatDay(before))
	if err != nil {
		return nil, fmt.Errorf("reading the controls' latest values: %w", err)
	}
	return latest, nil
}

// RecordTransitions records steps of audit trails; a step recorded before is
// left as it is. Writes made at the same time share a transaction (batch.go).
func (s *DB) RecordTransitions(ctx context.Context, steps []lifecycle.TransitionRecord) error {
	if err := s.open(ctx); err != nil {
		return err
	}
	return s.steps.write(ctx, steps)
}

// laterRun is the step's run ID when it is not the chain's first: most
// chains have one run, whose ID the row would hold twice.
func laterRun(t lifecycle.TransitionRecord) string {
	if t.RunID == t.ChainID {
		return ""
	}
	return t.RunID
}

// HasScores reports whether a day of the tenant read from Graph is recorded
// (the demo's seeded days do not count).
func (s *DB) HasScores(ctx context.Context, tenantID string) (bool, error) {
	if err := s.open(ctx); err != nil {
		return false, err
	}
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM tenant_scores WHERE tenant_id = $1 AND NOT demo LIMIT 1`, tenantID).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

func (s *DB) inTx(ctx context.Context, fn func(writeTx) error) error {
	tx, err := s.writes.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.where, err)
	}
	if err := fn(writeTx{tx, s.prepared}); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("store %s: %w", s.where, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store %s: %w", s.where, err)
	}
	return nil
}

func orEmpty[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
