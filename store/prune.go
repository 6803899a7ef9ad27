package store

import (
	"context"
	"fmt"
	"time"
)

// prunable are the tables with their time column and key: rows older than
// the retention are deleted a batch at a time, by key.
var prunable = []struct{ table, time, key, cut string }{
	{"tenant_scores", "day", "tenant_id, day", "day"},
	{"control_scores", "day", "tenant_id, control_id, day", "day"},
	{"control_state_updates", "updated_at", "tenant_id, control_id, updated_at, state", "instant"},
	{"transitions", "at", "workflow_id, chain_id, seq", "instant"},
}

// Prune deletes one batch of rows older than a moment from each table, and
// reports how many it deleted: a caller repeats until none is left, so no
// transaction holds the store for long.
func (s *DB) Prune(ctx context.Context, before time.Time, batch int) (int, error) {
	deleted := 0
	for _, t := range prunable {
		cut := formatInstant(before)
		if t.cut == "day" {
			cut = formatDay(before)
		}
		// Row-value IN works in SQLite and PostgreSQL alike; a LIMIT in
		// DELETE itself does not.
		result, err := s.db.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %[1]s WHERE (%[2]s) IN
			(SELECT %[2]s FROM %[1]s WHERE %[3]s < $1 LIMIT $2)`, t.table, t.key, t.time), cut, batch)
		if err != nil {
			return deleted, fmt.Errorf("store %s: pruning %s: %w", s.where, t.table, err)
		}
		n, err := result.RowsAffected()
		if err != nil {
			return deleted, err
		}
		deleted += int(n)
	}
	return deleted, nil
}
