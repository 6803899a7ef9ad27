package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Days are the tenant's daily scores since a day, oldest first.
func (s *DB) Days(ctx context.Context, tenantID string, since time.Time) ([]TenantDay, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	days, err := queryAll(ctx, s.db.QueryContext, scanTenantDay, `SELECT `+tenantDayColumns+`
		FROM tenant_scores WHERE tenant_id = $1 AND day >= $2 ORDER BY day`, tenantID, formatDay(since))
	return days, s.failed(err)
}

const tenantDayColumns = `day, current_score, max_score, enabled_services, comparisons, demo`

// scanTenantDay reads the row's tenantDayColumns.
func scanTenantDay(rows *sql.Rows) (TenantDay, error) { return scanTenantDayAnd(rows) }

// scanTenantDayAnd reads the row's tenantDayColumns, then its further columns into extra.
func scanTenantDayAnd(rows *sql.Rows, extra ...any) (TenantDay, error) {
	var d TenantDay
	var day, services, comparisons string
	if err := rows.Scan(append([]any{&day, &d.CurrentScore, &d.MaxScore, &services, &comparisons, &d.Demo}, extra...)...); err != nil {
		return d, err
	}
	var err error
	if d.Day, err = parseDay(day); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(services), &d.EnabledServices); err != nil {
		return d, err
	}
	d.Comparisons, err = decodeComparisons(comparisons)
	return d, err
}

// failed names the store in a query's error.
func (s *DB) failed(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store %s: %w", s.where, err)
}

// Transitions are the steps of the tenant's recommendations since a moment, oldest first.
func (s *DB) Transitions(ctx context.Context, tenantID string, since time.Time) ([]lifecycle.TransitionRecord, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	steps, err := queryAll(ctx, s.db.QueryContext, scanTransition, `SELECT `+transitionColumns+`
		FROM transitions WHERE tenant_id = $1 AND at >= $2 ORDER BY at, control_id, seq`, tenantID, formatInstant(since))
	return steps, s.failed(err)
}

const transitionColumns = `chain_id, seq, run_id, tenant_id, control_id, at,
	from_stage, to_stage, by_id, by_name, source, reason, ticket_key, rfc_key, critical`

// scanTransition reads the row's transitionColumns.
func scanTransition(rows *sql.Rows) (lifecycle.TransitionRecord, error) {
	return scanTransitionAnd(rows)
}

// scanTransitionAnd reads the row's transitionColumns, then more columns into more.
func scanTransitionAnd(rows *sql.Rows, more ...any) (lifecycle.TransitionRecord, error) {
	var t lifecycle.TransitionRecord
	var at, from, to, source string
	if err := rows.Scan(append([]any{&t.ChainID, &t.Seq, &t.RunID, &t.TenantID, &t.ControlID, &at, &from, &to,
		&t.By.ID, &t.By.Name, &source, &t.Reason, &t.TicketKey, &t.RFCKey, &t.Critical}, more...)...); err != nil {
		return t, err
	}
	var err error
	if t.At, err = parseInstant(at); err != nil {
		return t, err
	}
	t.From, t.To, t.Source = lifecycle.Stage(from), lifecycle.Stage(to), lifecycle.Source(source)
	t.WorkflowID = lifecycle.RecommendationWorkflowID(t.TenantID, t.ControlID)
	t.RunID = cmp.Or(t.RunID, t.ChainID)
	return t, nil
}

// Changes are the tenant's changes since a moment, in time order: each
// control's score, maximum, state or deprecation as the sweep saw it change
// (not its first day, which is no change), Graph's record of each state set,
// and the lifecycle steps behind them.
func (s *DB) Changes(ctx context.Context, tenantID string, since time.Time) ([]Change, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	changes, titles, err := s.scoreChanges(ctx, tenantID, since)
	if err != nil {
		return nil, err
	}
	updates, err := s.stateUpdates(ctx, tenantID, since)
	if err != nil {
		return nil, err
	}
	for _, u := range updates {
		changes = append(changes, Change{At: u.At, Kind: ChangeState, ControlID: u.ControlID, Title: titles[u.ControlID], Update: u})
	}
	steps, err := s.Transitions(ctx, tenantID, since)
	if err != nil {
		return nil, err
	}
	for _, t := range steps {
		changes = append(changes, Change{At: t.At, Kind: ChangeTransition, ControlID: t.ControlID, Title: titles[t.ControlID], Step: t})
	}
	slices.SortStableFunc(changes, func(a, b Change) int { return cmp.Compare(a.At.UnixNano(), b.At.UnixNano()) })
	return changes, nil
}

// scoreChanges are the control rows since a day that follow an earlier row
// of their control, and every control's latest title.
func (s *DB) scoreChanges(ctx context.Context, tenantID string, since time.Time) ([]Change, map[string]string, error) {
	var changes []Change
	titles := map[string]string{}
	var previous ControlDay
	err := queryEach(ctx, s.db.QueryContext, func(rows *sql.Rows) error {
		c, err := scanControlDay(rows)
		if err != nil {
			return err
		}
		titles[c.ControlID] = c.Title
		if previous.ControlID == c.ControlID && !c.Day.Before(Day(since)) {
			changes = append(changes, Change{At: c.Day, Kind: ChangeScore, ControlID: c.ControlID, Title: c.Title, Before: previous, After: c})
		}
		previous = c
		return nil
	}, `SELECT `+controlDayColumns+` FROM control_scores WHERE tenant_id = $1 ORDER BY control_id, day`, tenantID)
	return changes, titles, s.failed(err)
}

func (s *DB) stateUpdates(ctx context.Context, tenantID string, since time.Time) ([]StateUpdate, error) {
	updates, err := queryAll(ctx, s.db.QueryContext, scanStateUpdate, `SELECT control_id, updated_at, state, updated_by, comment
		FROM control_state_updates WHERE tenant_id = $1 AND updated_at >= $2 ORDER BY updated_at`, tenantID, formatInstant(since))
	return updates, s.failed(err)
}

func scanStateUpdate(rows *sql.Rows) (StateUpdate, error) {
	var u StateUpdate
	var at string
	err := rows.Scan(&u.ControlID, &at, &u.State, &u.By, &u.Comment)
	if err == nil {
		u.At, err = parseInstant(at)
	}
	return u, err
}

const controlDayColumns = `control_id, day, title, service, score, max_score, state, deprecated, demo`

// scanControlDay reads a control_scores row of controlDayColumns.
func scanControlDay(rows *sql.Rows) (ControlDay, error) {
	return scanControlDayAnd(rows, nil)
}

// scanControlDayAnd reads the columns before, then controlDayColumns, then
// the columns after.
func scanControlDayAnd(rows *sql.Rows, before []any, after ...any) (ControlDay, error) {
	var c ControlDay
	var day string
	columns := append(before, &c.ControlID, &day, &c.Title, &c.Service, &c.Score, &c.MaxScore, &c.State, &c.Deprecated, &c.Demo)
	if err := rows.Scan(append(columns, after...)...); err != nil {
		return c, err
	}
	var err error
	c.Day, err = parseDay(day)
	return c, err
}
