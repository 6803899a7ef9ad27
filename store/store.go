// Package store is scoreflow's own history: each tenant's Secure Score by day
// (Graph keeps 90 days), each control's changes with Graph's record of who
// set its state, and every step of every recommendation's audit trail
// (Temporal forgets closed workflows after its retention). The sweep and the
// workflows write it as a read model; the CLI and the dashboard read it.
//
// One schema (migrations/, embedded and applied at start) serves two
// backends through database/sql: SQLite, pure Go, in a file beside
// Temporal's (the default), and PostgreSQL for production.
package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// Writer is what the sweep and the workflows write. Every write is
// idempotent: a retried or replayed one finds its rows and changes nothing.
type Writer interface {
	// RecordDays records a tenant's Secure Score on some days: the day's
	// score, each control's values where they changed, and Graph's state updates.
	RecordDays(ctx context.Context, tenantID string, days []TenantDay, controls []ControlDay, updates []StateUpdate) error
	// RecordTransitions records steps of recommendations' audit trails.
	RecordTransitions(ctx context.Context, steps []lifecycle.TransitionRecord) error
	// HasScores reports whether any day of the tenant is recorded.
	HasScores(ctx context.Context, tenantID string) (bool, error)
}

// Reader is what the CLI and the dashboard read.
type Reader interface {
	// Days are the tenant's daily scores since a day, oldest first.
	Days(ctx context.Context, tenantID string, since time.Time) ([]TenantDay, error)
	// Changes are the tenant's score and state changes per control, and the
	// lifecycle steps behind them, since a moment, in time order.
	Changes(ctx context.Context, tenantID string, since time.Time) ([]Change, error)
	// Transitions are the steps of the tenant's recommendations since a moment, oldest first.
	Transitions(ctx context.Context, tenantID string, since time.Time) ([]lifecycle.TransitionRecord, error)
	// Controls are each of the tenant's controls' latest values.
	Controls(ctx context.Context, tenantID string) ([]ControlDay, error)
	// LatestSteps are the latest step of each of the tenant's recommendations.
	LatestSteps(ctx context.Context, tenantID string) ([]lifecycle.TransitionRecord, error)
	// OpenCounts count every tenant's open recommendations by stage and criticality.
	OpenCounts(ctx context.Context, deadlines []Deadline) ([]StageCount, error)
	// LatestDays are some tenants' first and latest day since a day.
	LatestDays(ctx context.Context, tenantIDs []string, since time.Time) (map[string][]TenantDay, error)
	// Sessions keeps the dashboard's sign-in sessions.
	Sessions() *Sessions
}

// DB is the store on SQLite or PostgreSQL.
type DB struct {
	db      *sql.DB
	backend backend
	// where names the store for messages: the file, or PostgreSQL's host
	// and database, never a password.
	where string
	// writes is the pool that writes: the same as db on PostgreSQL, one
	// connection on SQLite.
	writes *sql.DB
	// prepared are the writer's statements, prepared on SQLite (statements.go).
	prepared *preparedStatements
	steps    *stepWriter
}

var (
	_ Writer = (*DB)(nil)
	_ Reader = (*DB)(nil)
)

// Where names the store: the SQLite file, or PostgreSQL's host and database.
func (s *DB) Where() string { return s.where }

// Close closes the store's connections.
func (s *DB) Close() error {
	s.steps.close()
	return s.close()
}

func (s *DB) close() error {
	if s.prepared != nil {
		_ = s.prepared.close()
	}
	if s.writes != s.db {
		_ = s.writes.Close()
	}
	return s.db.Close()
}
