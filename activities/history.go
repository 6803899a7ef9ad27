package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/store"
)

// HistoryStore is what the activities write of the store (store.DB). Every
// write is idempotent: a retried or replayed one finds its rows and changes
// nothing.
type HistoryStore interface {
	RecordDays(ctx context.Context, tenantID string, days []store.TenantDay, controls []store.ControlDay, updates []store.StateUpdate) error
	RecordTransitions(ctx context.Context, steps []lifecycle.TransitionRecord) error
	HasScores(ctx context.Context, tenantID string) (bool, error)
	Prune(ctx context.Context, before time.Time, batch int) (int, error)
}

// History holds the activities that write scoreflow's own history. With no
// Store (store.disabled) they record nothing.
type History struct {
	Store HistoryStore
	// Retention is how long the store keeps a row (store.retention).
	Retention time.Duration
	// Graph reads a tenant's 90 days for the backfill.
	Graph GraphClients
}

// RecordSnapshot records what a sweep read: the tenant's score of the day,
// each in-scope control's values where they changed, and Graph's record of
// their states. A second sweep on the same day replaces that day's row.
func (h *History) RecordSnapshot(ctx context.Context, snapshot lifecycle.TenantSnapshot) error {
	if h.Store == nil {
		return nil
	}
	day := store.Day(snapshot.TakenAt)
	days := []store.TenantDay{{Day: day, CurrentScore: snapshot.CurrentScore, MaxScore: snapshot.MaxScore,
		EnabledServices: snapshot.EnabledServices, Comparisons: snapshot.Comparisons}}
	var controls []store.ControlDay
	var updates []store.StateUpdate
	for _, c := range snapshot.Controls {
		controls = append(controls, store.ControlDay{ControlID: c.ID, Day: day, Title: c.Title, Service: c.Facts.Service,
			Score: c.Score, MaxScore: c.MaxScore, State: c.State, Deprecated: c.Deprecated})
		for _, u := range c.StateUpdates {
			updates = append(updates, store.StateUpdate{ControlID: c.ID, At: u.At, State: u.State, By: u.By, Comment: u.Comment})
		}
	}
	return h.Store.RecordDays(ctx, snapshot.TenantID, days, controls, updates)
}

// RecordTransitions records steps of recommendations' audit trails, each once.
func (h *History) RecordTransitions(ctx context.Context, steps []lifecycle.TransitionRecord) error {
	if h.Store == nil {
		return nil
	}
	return h.Store.RecordTransitions(ctx, steps)
}

// pruneBatch is how many rows of a table one statement deletes.
const pruneBatch = 5000

// PruneHistory deletes what is older than the retention, a batch at a time,
// and returns how many rows it deleted.
func (h *History) PruneHistory(ctx context.Context) (int, error) {
	if h.Store == nil {
		return 0, nil
	}
	before := time.Now().Add(-h.Retention)
	total := 0
	for {
		n, err := h.Store.Prune(ctx, before, pruneBatch)
		total += n
		if err != nil {
			return total, err
		}
		activity.RecordHeartbeat(ctx, total)
		if n == 0 {
			return total, nil
		}
	}
}

// BackfillDays records a tenant's 90 days of Graph history on its first
// sweep (no day of it recorded yet), so its trend starts with three months,
// and returns how many days it recorded. It costs the pages of secureScores
// once. A store that is down, or a Graph that fails, leaves it to the next
// sweep: it logs why and returns no error, so the sweep goes on.
func (h *History) BackfillDays(ctx context.Context, snapshot lifecycle.TenantSnapshot) (int, error) {
	if h.Store == nil {
		return 0, nil
	}
	logger := activity.GetLogger(ctx)
	if recorded, err := h.Store.HasScores(ctx, snapshot.TenantID); err != nil || recorded {
		if err != nil {
			logging.WriteSDK(logger.Warn, "log.backfill.store_unavailable", "TenantId", snapshot.TenantID, "Error", err)
		}
		return 0, nil
	}
	days, err := h.recordGraphDays(ctx, snapshot.TenantID, snapshot.Controls)
	if err != nil {
		logging.WriteSDK(logger.Warn, "log.backfill.waits", "TenantId", snapshot.TenantID, "Error", err)
		return 0, nil
	}
	logging.WriteSDK(logger.Info, "log.backfill.recorded", "TenantId", snapshot.TenantID, "Days", days)
	return days, nil
}

// ImportDays reads a tenant's 90 days from Graph now and records them,
// whatever the store holds already (starter history import), with the
// tenant's controls as secureScore reads them. It returns how many days it
// recorded.
func (h *History) ImportDays(ctx context.Context, secureScore *SecureScore, tenantID string) (int, error) {
	snapshot, err := secureScore.Snapshot(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	return h.recordGraphDays(ctx, tenantID, snapshot.Controls)
}

// recordGraphDays reads Graph's 90 days of a tenant's score and records
// them, with the controls' values on the days they changed.
func (h *History) recordGraphDays(ctx context.Context, tenantID string, controls []lifecycle.ControlSummary) (int, error) {
	client, err := h.Graph.For(tenantID)
	if err != nil {
		return 0, err
	}
	scores, err := client.ScoreHistory(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading Graph's 90 days: %w", err)
	}
	days, changes := backfillDays(scores, controls)
	if err := h.Store.RecordDays(ctx, tenantID, days, changes, nil); err != nil {
		return 0, fmt.Errorf("recording Graph's 90 days: %w", err)
	}
	return len(days), nil
}

// backfillDays turns Graph's 90 days of secureScores into days of the
// store: each day's score, and each control on the first day and on the days
// its score or state changed (the store keeps changes only, and thousands of
// unchanged values would only be compared and dropped there). A day records
// a control's maximum and deprecation as they are now: Graph keeps no
// history of them.
func backfillDays(history []graph.Score, controls []lifecycle.ControlSummary) ([]store.TenantDay, []store.ControlDay) {
	var days []store.TenantDay
	var changes []store.ControlDay
	previous := map[string]store.ControlDay{}
	for _, score := range history {
		day := store.Day(score.TakenAt)
		var comparisons []lifecycle.Comparison
		for _, c := range score.Comparisons {
			comparisons = append(comparisons, lifecycle.Comparison{Basis: c.Basis, AverageScore: c.AverageScore})
		}
		days = append(days, store.TenantDay{Day: day, CurrentScore: score.CurrentScore, MaxScore: score.MaxScore,
			EnabledServices: score.EnabledServices, Comparisons: comparisons})
		for _, c := range controls {
			points, scored := score.ControlScores[c.ID]
			if !scored {
				continue
			}
			today := store.ControlDay{ControlID: c.ID, Day: day, Title: c.Title, Service: c.Facts.Service,
				Score: points, MaxScore: c.MaxScore, State: stateOn(c, day), Deprecated: c.Deprecated}
			if before, seen := previous[c.ID]; seen && before.Score == today.Score && before.State == today.State {
				continue
			}
			previous[c.ID] = today
			changes = append(changes, today)
		}
	}
	return days, changes
}

// stateOn is the control's state at the end of a day, from Graph's dated
// state updates, oldest first: Default before the first of them.
func stateOn(c lifecycle.ControlSummary, day time.Time) string {
	state := string(graph.StateDefault)
	for _, u := range c.StateUpdates {
		if u.At.Before(day.Add(24 * time.Hour)) {
			state = u.State
		}
	}
	return state
}
