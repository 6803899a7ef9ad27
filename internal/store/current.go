package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// What the dashboard shows of a tenant now: each control's latest values,
// and where each recommendation stands.

// Controls are each of the tenant's controls' latest values, by control id.
func (s *DB) Controls(ctx context.Context, tenantID string) ([]ControlDay, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	controls, err := queryAll(ctx, s.db.QueryContext, scanControlDay, `SELECT `+controlDayColumns+`
		FROM control_scores c WHERE tenant_id = $1 AND day = (SELECT MAX(day) FROM control_scores latest
			WHERE latest.tenant_id = c.tenant_id AND latest.control_id = c.control_id)
		ORDER BY control_id`, tenantID)
	return controls, s.failed(err)
}

// LatestSteps are the latest step of each of the tenant's recommendations
// (of a control's latest chain of runs), by control id: the stage it is in,
// since when, its tickets, and what is due when.
func (s *DB) LatestSteps(ctx context.Context, tenantID string) ([]lifecycle.TransitionRecord, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	steps, err := queryAll(ctx, s.db.QueryContext, scanLatestStep, `SELECT `+transitionColumns+`,
			(SELECT due_at FROM recommendations r WHERE r.tenant_id = transitions.tenant_id AND r.control_id = transitions.control_id)
		FROM transitions WHERE (tenant_id, control_id, chain_id, seq) IN
			(SELECT tenant_id, control_id, chain_id, seq FROM recommendations WHERE tenant_id = $1)
		ORDER BY control_id`, tenantID)
	return steps, s.failed(err)
}

func scanLatestStep(rows *sql.Rows) (lifecycle.TransitionRecord, error) {
	var due string
	t, err := scanTransitionAnd(rows, &due)
	if err == nil && due != "" {
		t.Due, err = parseInstant(due)
	}
	return t, err
}

// StageCount is how many of a tenant's open recommendations of a service
// (empty: not known yet) stand in a stage, critical or not: since when the
// oldest has, and how many have passed a deadline.
type StageCount struct {
	TenantID string
	Service  string
	Stage    lifecycle.Stage
	Critical bool
	Count    int
	Oldest   time.Time
	Overdue  int
}

// Deadline says when a recommendation in a stage (only a critical one, if
// CriticalOnly) whose steps carry no due date is overdue: when it has stood
// there since before Before. A recommendation whose step carries its due
// date is overdue once that has passed.
type Deadline struct {
	Stage        lifecycle.Stage
	CriticalOnly bool
	Before       time.Time
}

// OpenCounts count every tenant's recommendations that are not closed (a
// risk accepted is open: it waits for its re-review) by stage, criticality
// and service, in one read of the recommendations' index for the MSP's
// overview of every tenant.
func (s *DB) OpenCounts(ctx context.Context, now time.Time, deadlines []Deadline) ([]StageCount, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	var closed, neverOverdue []string
	for _, stage := range lifecycle.AllStages {
		if stage.Closed() {
			closed = append(closed, "'"+string(stage)+"'")
		}
		if !stage.CanBeOverdue() {
			neverOverdue = append(neverOverdue, "'"+string(stage)+"'")
		}
	}
	args := []any{formatInstant(now)}
	overdue := fmt.Sprintf("(due_at <> '' AND due_at < %s AND stage NOT IN (%s)) OR (due_at = '' AND (FALSE",
		s.placeholder(1), strings.Join(neverOverdue, ", "))
	for _, d := range deadlines {
		args = append(args, string(d.Stage), formatInstant(d.Before))
		condition := fmt.Sprintf("(stage = %s AND at < %s)", s.placeholder(len(args)-1), s.placeholder(len(args)))
		if d.CriticalOnly {
			condition = "(" + condition + " AND critical)"
		}
		overdue += " OR " + condition
	}
	overdue += "))"
	counts, err := queryAll(ctx, s.db.QueryContext, scanStageCount, `SELECT tenant_id, stage, critical, service, COUNT(*), MIN(at),
			SUM(CASE WHEN `+overdue+` THEN 1 ELSE 0 END)
		FROM recommendations WHERE stage NOT IN (`+strings.Join(closed, ", ")+`)
		GROUP BY tenant_id, stage, critical, service ORDER BY tenant_id, stage, critical, service`, args...)
	return counts, s.failed(err)
}

func scanStageCount(rows *sql.Rows) (StageCount, error) {
	var c StageCount
	var stage, oldest string
	err := rows.Scan(&c.TenantID, &stage, &c.Critical, &c.Service, &c.Count, &oldest, &c.Overdue)
	if err == nil {
		c.Oldest, err = parseInstant(oldest)
	}
	c.Stage = lifecycle.Stage(stage)
	return c, err
}

// LatestDays are some tenants' first and latest recorded day since a day
// (one, when they are the same), by tenant id. One read for the overview:
// two seeks per tenant in the key of its days, whatever their number.
func (s *DB) LatestDays(ctx context.Context, tenantIDs []string, since time.Time) (map[string][]TenantDay, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	byTenant := map[string][]TenantDay{}
	for chunk := range slices.Chunk(tenantIDs, maxStatementRows) {
		args := make([]any, 0, len(chunk)+2)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, formatDay(since), formatDay(since))
		// The window is worked out per tenant first (MATERIALIZED keeps
		// PostgreSQL from folding it into a scan of every day of every tenant).
		err := queryEach(ctx, s.db.QueryContext, func(rows *sql.Rows) error {
			var tenantID string
			d, err := scanTenantDayAnd(rows, &tenantID)
			if err == nil {
				byTenant[tenantID] = append(byTenant[tenantID], d)
			}
			return err
		}, `WITH tenants (tenant_id) AS (VALUES `+s.values(len(chunk), 1)+`),
			window_days AS MATERIALIZED (SELECT t.tenant_id,
				(SELECT MIN(day) FROM tenant_scores f WHERE f.tenant_id = t.tenant_id AND f.day >= `+s.placeholder(len(chunk)+1)+`) AS first,
				(SELECT MAX(day) FROM tenant_scores l WHERE l.tenant_id = t.tenant_id AND l.day >= `+s.placeholder(len(chunk)+2)+`) AS latest
				FROM tenants t)
			SELECT `+tenantDayColumns+`, s.tenant_id FROM window_days w JOIN tenant_scores s ON s.tenant_id = w.tenant_id AND s.day = w.first
			UNION
			SELECT `+tenantDayColumns+`, s.tenant_id FROM window_days w JOIN tenant_scores s ON s.tenant_id = w.tenant_id AND s.day = w.latest
			ORDER BY 7, 1`, args...)
		if err != nil {
			return nil, s.failed(err)
		}
	}
	return byTenant, nil
}
