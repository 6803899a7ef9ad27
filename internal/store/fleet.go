package store

import (
	"context"
	"database/sql"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// What the MSP's fleet pages read: one control across every tenant.

// FleetControl is a tenant's control as the fleet pages count it: its
// latest values, and where its recommendation stands.
type FleetControl struct {
	TenantID string
	ControlDay
	Stage lifecycle.Stage // "": the control never had a recommendation
}

const fleetControlColumns = `c.tenant_id, c.control_id, c.day, c.title, c.service, c.score, c.max_score, c.state, c.deprecated, c.demo,
	COALESCE(r.stage, '')`

// latestOfTheControl keeps a control's latest row of each tenant.
const latestOfTheControl = `c.day = (SELECT MAX(day) FROM control_scores l WHERE l.tenant_id = c.tenant_id AND l.control_id = c.control_id)`

// FleetControls are every control of every tenant, each with its latest
// values and its recommendation's stage.
func (s *DB) FleetControls(ctx context.Context) ([]FleetControl, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	controls, err := queryAll(ctx, s.db.QueryContext, scanFleetControl, `SELECT `+fleetControlColumns+`
		FROM control_scores c LEFT JOIN recommendations r ON r.tenant_id = c.tenant_id AND r.control_id = c.control_id
		WHERE `+latestOfTheControl+` ORDER BY c.control_id, c.tenant_id`)
	return controls, s.failed(err)
}

// FleetControl is one control in every tenant that has it.
func (s *DB) FleetControl(ctx context.Context, controlID string) ([]FleetControl, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	controls, err := queryAll(ctx, s.db.QueryContext, scanFleetControl, `SELECT `+fleetControlColumns+`
		FROM control_scores c LEFT JOIN recommendations r ON r.tenant_id = c.tenant_id AND r.control_id = c.control_id
		WHERE c.control_id = $1 AND `+latestOfTheControl+` ORDER BY c.tenant_id`, controlID)
	return controls, s.failed(err)
}

func scanFleetControl(rows *sql.Rows) (FleetControl, error) {
	var f FleetControl
	var stage string
	c, err := scanControlDayAnd(rows, []any{&f.TenantID}, &stage)
	f.ControlDay, f.Stage = c, lifecycle.Stage(stage)
	return f, err
}

// ControlDecisions are the customers' decisions on a control in every
// tenant, oldest first: the steps that left the decision's stage.
func (s *DB) ControlDecisions(ctx context.Context, controlID string) ([]lifecycle.TransitionRecord, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	steps, err := queryAll(ctx, s.db.QueryContext, scanTransition, `SELECT `+transitionColumns+` FROM transitions
		WHERE control_id = $1 AND from_stage = 'awaiting_decision' AND to_stage <> 'awaiting_decision'
		ORDER BY at, tenant_id`, controlID)
	return steps, s.failed(err)
}
