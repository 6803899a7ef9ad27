package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// Steps come from every workflow at once: thousands of recommendations
// onboarding together each write theirs. One transaction each would queue
// them all on the database's write lock, holding up the workflow tasks that
// wait for them. So the writes that arrive while a transaction is under way
// go together into the next one: no timer, no added wait when the store is
// idle.

// maxBatchSteps bounds a batch and a statement: 15 parameters a step stays
// far below both databases' limits on a statement's parameters.
const maxBatchSteps = 500

type stepWrite struct {
	steps []lifecycle.TransitionRecord
	done  chan error
}

// stepWriter batches the writes of steps of one store.
type stepWriter struct {
	db      *DB
	writes  chan stepWrite
	closed  chan struct{}
	closing sync.Once
	stopped sync.WaitGroup
}

func newStepWriter(db *DB) *stepWriter {
	w := &stepWriter{db: db, writes: make(chan stepWrite), closed: make(chan struct{})}
	w.stopped.Go(w.run)
	return w
}

// write records steps with those of any writes waiting beside them, and
// returns when their transaction has committed.
func (w *stepWriter) write(ctx context.Context, steps []lifecycle.TransitionRecord) error {
	for _, t := range steps {
		if t.WorkflowID != lifecycle.RecommendationWorkflowID(t.TenantID, t.ControlID) {
			return fmt.Errorf("step %d of %s: not the workflow of %s's %s", t.Seq, t.WorkflowID, t.TenantID, t.ControlID)
		}
	}
	write := stepWrite{steps: steps, done: make(chan error, 1)}
	select {
	case w.writes <- write:
	case <-w.closed:
		return fmt.Errorf("store %s: closed", w.db.where)
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-write.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // the transaction may still commit: a retry finds its rows
	}
}

func (w *stepWriter) run() {
	for {
		var batch []stepWrite
		select {
		case first := <-w.writes:
			batch = append(batch, first)
		case <-w.closed:
			return
		}
		size := len(batch[0].steps)
	gather:
		for size < maxBatchSteps {
			select {
			case next := <-w.writes:
				batch = append(batch, next)
				size += len(next.steps)
			default:
				break gather
			}
		}
		w.commit(batch)
	}
}

// commit writes a batch in one transaction; should it fail, each write is
// tried alone, so one write's error is its own.
func (w *stepWriter) commit(batch []stepWrite) {
	var steps []lifecycle.TransitionRecord
	for _, write := range batch {
		steps = append(steps, write.steps...)
	}
	ctx := context.Background()
	err := w.db.inTx(ctx, func(tx *sql.Tx) error { return recordTransitions(ctx, tx, steps) })
	if err == nil || len(batch) == 1 {
		for _, write := range batch {
			write.done <- err
		}
		return
	}
	for _, write := range batch {
		write.done <- w.db.inTx(ctx, func(tx *sql.Tx) error { return recordTransitions(ctx, tx, write.steps) })
	}
}

func (w *stepWriter) close() {
	w.closing.Do(func() { close(w.closed) })
	w.stopped.Wait()
}

// recordTransitions inserts steps, maxBatchSteps to a statement; a step
// recorded before is left as it is.
func recordTransitions(ctx context.Context, tx *sql.Tx, steps []lifecycle.TransitionRecord) error {
	for chunk := range slices.Chunk(steps, maxBatchSteps) {
		if err := insertTransitions(ctx, tx, chunk); err != nil {
			return err
		}
	}
	return nil
}

func insertTransitions(ctx context.Context, tx *sql.Tx, steps []lifecycle.TransitionRecord) error {
	const columns = 15
	var query strings.Builder
	query.WriteString(`INSERT INTO transitions (tenant_id, control_id, chain_id, seq, run_id, at,
		from_stage, to_stage, by_id, by_name, source, reason, ticket_key, rfc_key, critical) VALUES `)
	args := make([]any, 0, columns*len(steps))
	for i, t := range steps {
		if i > 0 {
			query.WriteString(", ")
		}
		query.WriteByte('(')
		for c := range columns {
			if c > 0 {
				query.WriteString(", ")
			}
			fmt.Fprintf(&query, "$%d", i*columns+c+1)
		}
		query.WriteByte(')')
		args = append(args, t.TenantID, t.ControlID, t.ChainID, t.Seq, laterRun(t), formatInstant(t.At), string(t.From),
			string(t.To), t.By.ID, t.By.Name, string(t.Source), t.Reason, t.TicketKey, t.RFCKey, t.Critical)
	}
	query.WriteString(" ON CONFLICT (tenant_id, control_id, chain_id, seq) DO NOTHING")
	if _, err := tx.ExecContext(ctx, query.String(), args...); err != nil {
		return fmt.Errorf("recording %d steps: %w", len(steps), err)
	}
	return nil
}
