package store

import (
	"context"
	"fmt"
	"time"
)

// prunable are the tables, each with the rows that are older than the
// retention ($1) and its key: such rows are deleted a batch at a time, by
// key. A control's newest row before the cut stays: the store keeps a
// control's values as changes, so that row holds its values since.
var prunable = []struct{ table, older, key, cut string }{
	{"tenant_scores", "day < $1", "tenant_id, day", "day"},
	{"control_scores", `day < $1 AND EXISTS (SELECT 1 FROM control_scores newer WHERE newer.tenant_id = control_scores.tenant_id
		AND newer.control_id = control_scores.control_id AND newer.day > control_scores.day AND newer.day <= $1)`,
		"tenant_id, control_id, day", "day"},
	{"control_state_updates", "updated_at < $1", "tenant_id, control_id, updated_at, state", "instant"},
	{"transitions", "at < $1", "tenant_id, control_id, chain_id, seq", "instant"},
	// A recommendation whose latest step is pruned has no step left.
	{"recommendations", "at < $1", "tenant_id, control_id", "instant"},
	{"decision_messages", "posted_at < $1", "tenant_id, control_id", "instant"},
}

// Prune deletes one batch of rows older than a moment from each table, and
// reports how many it deleted: a caller repeats until none is left, so no
// transaction holds the store for long.
func (s *DB) Prune(ctx context.Context, before time.Time, batch int) (int, error) {
	if err := s.open(ctx); err != nil {
		return 0, err
	}
	deleted := 0
	for _, t := range prunable {
		cut := formatInstant(before)
		if t.cut == "day" {
			cut = formatDay(before)
		}
		// Row-value IN works in SQLite and PostgreSQL alike; a LIMIT in
		// DELETE itself does not.
		result, err := s.writes.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %[1]s WHERE (%[2]s) IN
			(SELECT %[2]s FROM %[1]s WHERE %[3]s LIMIT $2)`, t.table, t.key, t.older), cut, batch)
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
