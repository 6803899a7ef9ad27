package store

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Steps come from every workflow at once: thousands of recommendations
// onboarding together each write theirs. One transaction each would queue
// them all on the database's write lock, holding up the workflow tasks that
// wait for them. So the writes that arrive while a transaction is under way
// go together into the next one. And while writes stream in (one arrives
// within streaming of the last commit) a batch waits lingerFor for more, as
// PostgreSQL's commit_delay does under load: the onboarding's 150 writes a
// second otherwise came one to a transaction, each writing the same pages
// again (6,672 transactions for 8,000 writes; with the wait, 2,400). A write
// to an idle store waits for nothing.
const (
	streaming = 10 * time.Millisecond
	lingerFor = 10 * time.Millisecond
)

// maxBatchSteps bounds a batch.
const maxBatchSteps = 500

// maxStatementRows bounds the rows of one INSERT. SQLite's driver looks up
// each parameter among all of a statement's arguments, which grows with the
// square of their number: 64 rows of 15 are cheap to bind, and far below
// both databases' limits on a statement's parameters. A power of two (see
// inStatements).
const maxStatementRows = 64

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
	var lastCommit time.Time
	for {
		var batch []stepWrite
		select {
		case first := <-w.writes:
			batch = append(batch, first)
		case <-w.closed:
			return
		}
		var linger time.Duration
		if time.Since(lastCommit) < streaming {
			linger = lingerFor
		}
		batch = w.gather(batch, linger)
		w.commit(batch)
		lastCommit = time.Now()
	}
}

// gather adds the writes waiting beside a batch, and those that arrive
// within linger, up to maxBatchSteps.
func (w *stepWriter) gather(batch []stepWrite, linger time.Duration) []stepWrite {
	var lingered <-chan time.Time
	if linger > 0 {
		timer := time.NewTimer(linger)
		defer timer.Stop()
		lingered = timer.C
	}
	size := 0
	for _, write := range batch {
		size += len(write.steps)
	}
	for size < maxBatchSteps {
		var next stepWrite
		select {
		case next = <-w.writes: // the writes already waiting come first
		default:
			if lingered == nil {
				return batch
			}
			select {
			case next = <-w.writes:
			case <-lingered:
				return batch
			case <-w.closed:
				return batch
			}
		}
		batch = append(batch, next)
		size += len(next.steps)
	}
	return batch
}

// commit writes a batch in one transaction; should it fail, each write is
// tried alone, so one write's error is its own.
func (w *stepWriter) commit(batch []stepWrite) {
	var steps []lifecycle.TransitionRecord
	for _, write := range batch {
		steps = append(steps, write.steps...)
	}
	ctx := context.Background()
	err := w.db.inTx(ctx, func(tx writeTx) error { return w.db.recordTransitions(ctx, tx, steps) })
	if err == nil || len(batch) == 1 {
		for _, write := range batch {
			write.done <- err
		}
		return
	}
	for _, write := range batch {
		write.done <- w.db.inTx(ctx, func(tx writeTx) error { return w.db.recordTransitions(ctx, tx, write.steps) })
	}
}

func (w *stepWriter) close() {
	w.closing.Do(func() { close(w.closed) })
	w.stopped.Wait()
}

// recordTransitions inserts steps, at most maxStatementRows to a statement
// (inStatements), and moves each recommendation to its latest step; a step recorded before is left as
// it is.
func (s *DB) recordTransitions(ctx context.Context, tx writeTx, steps []lifecycle.TransitionRecord) error {
	for chunk := range inStatements(steps) {
		if err := s.insertTransitions(ctx, tx, chunk); err != nil {
			return err
		}
	}
	for chunk := range inStatements(latestOfEach(steps)) {
		if err := s.advanceRecommendations(ctx, tx, chunk); err != nil {
			return err
		}
	}
	return nil
}

// latestOfEach is the latest of the steps of each recommendation, in the
// order of the recommendations table's key: one statement may not update a
// row twice, and two transactions that take their rows' locks in the same
// order do not deadlock.
func latestOfEach(steps []lifecycle.TransitionRecord) []lifecycle.TransitionRecord {
	latest := map[[2]string]lifecycle.TransitionRecord{}
	for _, t := range steps {
		key := [2]string{t.TenantID, t.ControlID}
		if l, seen := latest[key]; !seen || stepOrder(t, l) > 0 {
			latest[key] = t
		}
	}
	return slices.SortedFunc(maps.Values(latest), func(a, b lifecycle.TransitionRecord) int {
		return cmp.Or(cmp.Compare(a.TenantID, b.TenantID), cmp.Compare(a.ControlID, b.ControlID))
	})
}

// stepOrder orders two steps of a recommendation as the recommendations
// table does: by the instant as stored, then by seq.
func stepOrder(a, b lifecycle.TransitionRecord) int {
	return cmp.Or(cmp.Compare(formatInstant(a.At), formatInstant(b.At)), cmp.Compare(a.Seq, b.Seq))
}

// advanceRecommendations moves each step's recommendation to it, unless it
// stands at a later step already.
func (s *DB) advanceRecommendations(ctx context.Context, tx writeTx, steps []lifecycle.TransitionRecord) error {
	args := make([]any, 0, 9*len(steps))
	for _, t := range steps {
		due := ""
		if !t.Due.IsZero() {
			due = formatInstant(t.Due)
		}
		args = append(args, t.TenantID, t.ControlID, t.ChainID, t.Seq, formatInstant(t.At), string(t.To), t.Critical, t.Service, due)
	}
	if _, err := tx.exec(ctx, s.advanceRecommendationsQuery(len(steps)), args...); err != nil {
		return fmt.Errorf("recording where %d recommendations stand: %w", len(steps), err)
	}
	return nil
}

func (s *DB) advanceRecommendationsQuery(rows int) string {
	return `INSERT INTO recommendations (tenant_id, control_id, chain_id, seq, at, stage, critical, service, due_at) VALUES ` + s.values(rows, 9) +
		` ON CONFLICT (tenant_id, control_id) DO UPDATE
		SET chain_id = excluded.chain_id, seq = excluded.seq, at = excluded.at, stage = excluded.stage, critical = excluded.critical,
			due_at = excluded.due_at,
			service = CASE WHEN excluded.service = '' THEN recommendations.service ELSE excluded.service END
		WHERE excluded.at > recommendations.at OR (excluded.at = recommendations.at AND excluded.seq > recommendations.seq)`
}

// inStatements splits rows into statements of maxStatementRows rows and the
// rest into powers of two: seven sizes of each statement, which SQLite keeps
// prepared (statements.go), instead of one for every count of rows.
func inStatements[Row any](rows []Row) iter.Seq[[]Row] {
	return func(yield func([]Row) bool) {
		for size := maxStatementRows; len(rows) > 0; size /= 2 {
			for len(rows) >= size {
				if !yield(rows[:size]) {
					return
				}
				rows = rows[size:]
			}
		}
	}
}

// values is the VALUES list of a statement that inserts rows of columns
// each: "($1, $2), ($3, $4)", or on SQLite "(?, ?), (?, ?)".
func (s *DB) values(rows, columns int) string {
	var list strings.Builder
	for r := range rows {
		if r > 0 {
			list.WriteString(", ")
		}
		list.WriteByte('(')
		for c := range columns {
			if c > 0 {
				list.WriteString(", ")
			}
			list.WriteString(s.placeholder(r*columns + c + 1))
		}
		list.WriteByte(')')
	}
	return list.String()
}

func (s *DB) insertTransitions(ctx context.Context, tx writeTx, steps []lifecycle.TransitionRecord) error {
	args := make([]any, 0, 15*len(steps))
	for _, t := range steps {
		args = append(args, t.TenantID, t.ControlID, t.ChainID, t.Seq, laterRun(t), formatInstant(t.At), string(t.From),
			string(t.To), t.By.ID, t.By.Name, string(t.Source), t.Reason, t.TicketKey, t.RFCKey, t.Critical)
	}
	if _, err := tx.exec(ctx, s.insertTransitionsQuery(len(steps)), args...); err != nil {
		return fmt.Errorf("recording %d steps: %w", len(steps), err)
	}
	return nil
}

func (s *DB) insertTransitionsQuery(rows int) string {
	return `INSERT INTO transitions (tenant_id, control_id, chain_id, seq, run_id, at,
		from_stage, to_stage, by_id, by_name, source, reason, ticket_key, rfc_key, critical) VALUES ` +
		s.values(rows, 15) + " ON CONFLICT (tenant_id, control_id, chain_id, seq) DO NOTHING"
}

// placeholder is a statement's n-th parameter (from 1). SQLite's driver
// finds a numbered parameter by formatting and comparing the number of
// every argument, a plain ? by comparing integers: the same growth with the
// square of the parameters, at a fraction of the cost.
func (s *DB) placeholder(n int) string {
	if s.backend == sqliteBackend {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}
