package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
)

// SQLite's driver prepares a statement for every call and finalizes it
// after: parsing and planning the same text again for each row a backfill
// writes and each batch of steps. The writer's statements are few, so on
// SQLite the store prepares them on its writing connection when it opens and
// keeps them. It cannot prepare one later: the writer's only connection is
// then held by the transaction that needs it. PostgreSQL's driver (pgx) keeps
// the statements it has prepared on each connection itself.

// writerQueries are the statements the writer runs, in every size the step
// writer binds (see inStatements).
func (s *DB) writerQueries() []string {
	queries := []string{insertTenantDay, upsertControlDay, deleteControlDay, insertStateUpdate, selectRecordedControlDays, selectLatestControlDays, upsertDecisionMessage, insertAlert}
	for rows := 1; rows <= maxStatementRows; rows *= 2 {
		queries = append(queries, s.insertTransitionsQuery(rows), s.advanceRecommendationsQuery(rows))
	}
	return queries
}

// preparedStatements are the writer's statements, prepared on SQLite, by
// their text.
type preparedStatements struct {
	byQuery map[string]*sql.Stmt
	// misses counts statements the writer ran unprepared: none, or a
	// statement is missing from writerQueries.
	misses atomic.Int64
}

func (s *DB) prepareWriterStatements(ctx context.Context) error {
	s.prepared = &preparedStatements{byQuery: map[string]*sql.Stmt{}}
	if s.backend != sqliteBackend {
		return nil
	}
	for _, query := range s.writerQueries() {
		stmt, err := s.writes.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("preparing the writer's statements: %w", err)
		}
		s.prepared.byQuery[query] = stmt
	}
	return nil
}

func (p *preparedStatements) close() error {
	var errs []error
	for _, stmt := range p.byQuery {
		errs = append(errs, stmt.Close())
	}
	return errors.Join(errs...)
}

// writeTx is a transaction of the store's writer.
type writeTx struct {
	*sql.Tx
	prepared *preparedStatements
}

// stmt is query in this transaction: prepared if the store keeps it so.
func (tx writeTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if stmt, ok := tx.prepared.byQuery[query]; ok {
		return tx.StmtContext(ctx, stmt)
	}
	if len(tx.prepared.byQuery) > 0 {
		tx.prepared.misses.Add(1)
	}
	return nil
}

func (tx writeTx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if stmt := tx.stmt(ctx, query); stmt != nil {
		return stmt.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

func (tx writeTx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if stmt := tx.stmt(ctx, query); stmt != nil {
		return stmt.QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}
