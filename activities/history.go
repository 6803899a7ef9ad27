package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/logging"
	"github.com/scoreflow/scoreflow/store"
)

// HistoryStore is the store as the activities write it (store.Deferred).
type HistoryStore interface {
	store.Writer
	Prune(ctx context.Context, before time.Time, batch int) (int, error)
}

// History holds the activities that write scoreflow's own history. With no
// Store (store.disabled) they record nothing.
type History struct {
	Store HistoryStore
	// Retention is how long the store keeps a row (store.retention).
	Retention time.Duration
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

// backfillDays turns Graph's 90 days of secureScores into days of the
// store: each day's score, and each in-scope control on the first day and on
// the days its score or state changed (the store keeps changes only, and
// thousands of unchanged values would only be compared and dropped there).
// A day records a control's maximum and deprecation as they are now: Graph
// keeps no history of them.
func backfillDays(history []graph.Score, controls []graph.Control) ([]store.TenantDay, []store.ControlDay) {
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
			today := store.ControlDay{ControlID: c.ID, Day: day, Title: c.Title, Service: c.Service,
				Score: points, MaxScore: c.MaxScore, State: string(c.StateOn(day)), Deprecated: c.Deprecated}
			if before, seen := previous[c.ID]; seen && before.Score == today.Score && before.State == today.State {
				continue
			}
			previous[c.ID] = today
			changes = append(changes, today)
		}
	}
	return days, changes
}

// backfill records a tenant's 90 days of Graph history on its first sweep
// (no day of it recorded yet), so its trend starts with three months. It
// costs the pages of secureScores once. A store that is down, or a Graph
// that fails, leaves it to the next sweep: the sweep itself goes on.
func (g *SecureScore) backfill(ctx context.Context, tenantID string, client GraphAPI, scope graph.Scope, controls []graph.Control) {
	if g.History == nil {
		return
	}
	logger := activity.GetLogger(ctx)
	if recorded, err := g.History.HasScores(ctx, tenantID); err != nil || recorded {
		if err != nil {
			logging.Log(logger.Warn, "log.backfill.store_unavailable", "TenantId", tenantID, "Error", err)
		}
		return
	}
	days, err := recordGraphHistory(ctx, g.History, tenantID, client, scope, controls)
	if err != nil {
		logging.Log(logger.Warn, "log.backfill.waits", "TenantId", tenantID, "Error", err)
		return
	}
	logging.Log(logger.Info, "log.backfill.recorded", "TenantId", tenantID, "Days", days)
}

// ImportHistory reads a tenant's 90 days from Graph now and records them,
// whatever the store holds already (starter history import). It returns
// how many days it recorded.
func (g *SecureScore) ImportHistory(ctx context.Context, tenantID string) (int, error) {
	scope, ok := g.Scopes[tenantID]
	if !ok {
		return 0, fmt.Errorf("tenant %q is not configured", tenantID)
	}
	client, err := g.Clients.For(tenantID)
	if err != nil {
		return 0, err
	}
	snapshot, err := client.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	return recordGraphHistory(ctx, g.History, tenantID, client, scope, snapshot.Controls)
}

func recordGraphHistory(ctx context.Context, history store.Writer, tenantID string, client GraphAPI, scope graph.Scope, controls []graph.Control) (int, error) {
	scores, err := client.ScoreHistory(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading Graph's 90 days: %w", err)
	}
	var inScope []graph.Control
	for _, c := range controls {
		if scope.Covers(c.Service) {
			inScope = append(inScope, c)
		}
	}
	days, changes := backfillDays(scores, inScope)
	if err := history.RecordDays(ctx, tenantID, days, changes, nil); err != nil {
		return 0, fmt.Errorf("recording Graph's 90 days: %w", err)
	}
	return len(days), nil
}
