package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// Deferred is the worker's store: opened, and migrated, at the first use
// that finds the database up. A PostgreSQL server that is down when the
// worker starts, or goes down later, fails the writes of that moment, which
// their activities retry, and holds up nothing else.
type Deferred struct {
	dsn, defaultFile string

	mu sync.Mutex
	db *DB
}

// Defer names the store without opening it.
func Defer(dsn, defaultFile string) *Deferred { return &Deferred{dsn: dsn, defaultFile: defaultFile} }

// Open opens the store now, if it is not open yet.
func (d *Deferred) Open(ctx context.Context) (*DB, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db != nil {
		return d.db, nil
	}
	db, err := Open(ctx, d.dsn, d.defaultFile)
	if err != nil {
		return nil, err
	}
	d.db = db
	return db, nil
}

// Close closes the store if it was opened.
func (d *Deferred) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db == nil {
		return nil
	}
	return d.db.Close()
}

// openTimeout bounds how long a use waits for the store to open.
const openTimeout = 10 * time.Second

func (d *Deferred) open(ctx context.Context) (*DB, error) {
	ctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	return d.Open(ctx)
}

func (d *Deferred) RecordDays(ctx context.Context, tenantID string, days []TenantDay, controls []ControlDay, updates []StateUpdate) error {
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	return db.RecordDays(ctx, tenantID, days, controls, updates)
}

func (d *Deferred) RecordTransitions(ctx context.Context, steps []lifecycle.TransitionRecord) error {
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	return db.RecordTransitions(ctx, steps)
}

func (d *Deferred) HasScores(ctx context.Context, tenantID string) (bool, error) {
	db, err := d.open(ctx)
	if err != nil {
		return false, err
	}
	return db.HasScores(ctx, tenantID)
}

// Prune deletes one batch of rows older than a moment from each table.
func (d *Deferred) Prune(ctx context.Context, before time.Time, batch int) (int, error) {
	db, err := d.open(ctx)
	if err != nil {
		return 0, err
	}
	return db.Prune(ctx, before, batch)
}

// The reads of the dashboard and the CLI.

func (d *Deferred) Days(ctx context.Context, tenantID string, since time.Time) ([]TenantDay, error) {
	return read(ctx, d, func(db *DB) ([]TenantDay, error) { return db.Days(ctx, tenantID, since) })
}

func (d *Deferred) Changes(ctx context.Context, tenantID string, since time.Time) ([]Change, error) {
	return read(ctx, d, func(db *DB) ([]Change, error) { return db.Changes(ctx, tenantID, since) })
}

func (d *Deferred) Transitions(ctx context.Context, tenantID string, since time.Time) ([]lifecycle.TransitionRecord, error) {
	return read(ctx, d, func(db *DB) ([]lifecycle.TransitionRecord, error) { return db.Transitions(ctx, tenantID, since) })
}

func (d *Deferred) Controls(ctx context.Context, tenantID string) ([]ControlDay, error) {
	return read(ctx, d, func(db *DB) ([]ControlDay, error) { return db.Controls(ctx, tenantID) })
}

func (d *Deferred) LatestSteps(ctx context.Context, tenantID string) ([]lifecycle.TransitionRecord, error) {
	return read(ctx, d, func(db *DB) ([]lifecycle.TransitionRecord, error) { return db.LatestSteps(ctx, tenantID) })
}

// OpenCounts counts every tenant's open recommendations, opening the store at its first use.
func (d *Deferred) OpenCounts(ctx context.Context, deadlines []Deadline) ([]StageCount, error) {
	return read(ctx, d, func(db *DB) ([]StageCount, error) { return db.OpenCounts(ctx, deadlines) })
}

// LatestDays reads some tenants' first and latest day, opening the store at its first use.
func (d *Deferred) LatestDays(ctx context.Context, tenantIDs []string, since time.Time) (map[string][]TenantDay, error) {
	return read(ctx, d, func(db *DB) (map[string][]TenantDay, error) { return db.LatestDays(ctx, tenantIDs, since) })
}

// Sessions keeps the dashboard's sessions, opening the store at their first use.
func (d *Deferred) Sessions() *Sessions { return &Sessions{open: d.open} }

func read[T any](ctx context.Context, d *Deferred, query func(*DB) (T, error)) (T, error) {
	db, err := d.open(ctx)
	if err != nil {
		var none T
		return none, err
	}
	return query(db)
}

// Refused reports whether opening the store failed for good, not for the
// moment: a database that is not scoreflow's, is corrupt, or is newer.
func Refused(err error) bool { return err != nil && !errors.Is(err, ErrUnreachable) }

var (
	_ Writer = (*Deferred)(nil)
	_ Reader = (*Deferred)(nil)
)
