package store

import (
	"context"
	"database/sql"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// TenantStage is where one tenant's recommendation of a control stands,
// with the reason of its latest step when the risk was accepted.
type TenantStage struct {
	TenantID, ControlID string
	Stage               lifecycle.Stage
	Reason              string // the acceptance's reason; "" in any other stage
}

// FleetStages are where every recommendation of every tenant stands, from
// the recommendations table and, for an accepted risk, its latest step's
// reason: the fleet's record of every control in one read.
func (s *DB) FleetStages(ctx context.Context) ([]TenantStage, error) {
	if err := s.open(ctx); err != nil {
		return nil, err
	}
	stages, err := queryAll(ctx, s.db.QueryContext, func(rows *sql.Rows) (TenantStage, error) {
		var t TenantStage
		var stage string
		err := rows.Scan(&t.TenantID, &t.ControlID, &stage, &t.Reason)
		t.Stage = lifecycle.Stage(stage)
		return t, err
	}, `SELECT r.tenant_id, r.control_id, r.stage, COALESCE(t.reason, '') FROM recommendations r
		LEFT JOIN transitions t ON r.stage = 'risk_accepted' AND t.tenant_id = r.tenant_id AND t.control_id = r.control_id
			AND t.chain_id = r.chain_id AND t.seq = r.seq`)
	return stages, s.failed(err)
}
