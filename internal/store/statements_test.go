package store

import (
	"context"
	"fmt"
	"math/bits"
	"path/filepath"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Every statement the writer runs on SQLite is one it prepared when the
// store opened: a backfill, a second record of a day (which deletes a row),
// Graph's state updates, and steps in every count from 1 to past a batch.
func TestTheWriterRunsOnlyStatementsItPrepared(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "scoreflow.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.prepared.byQuery) == 0 {
		t.Fatal("SQLite's writer prepared no statement")
	}
	first := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	var days []TenantDay
	var controls []ControlDay
	for d := range 90 {
		day := first.AddDate(0, 0, d)
		days = append(days, TenantDay{Day: day, CurrentScore: float64(d), MaxScore: 100})
		controls = append(controls, ControlDay{ControlID: "MFARegistrationV2", Day: day, Score: float64(d / 30), MaxScore: 10, State: "Default"})
	}
	if err := s.RecordDays(ctx, "contoso", days, controls, []StateUpdate{{ControlID: "MFARegistrationV2", At: first, State: "Ignored", By: "jane"}}); err != nil {
		t.Fatal(err)
	}
	changed := controls[60] // its score rose that day: it has a row
	changed.Score = controls[59].Score
	if err := s.RecordDays(ctx, "contoso", days[60:61], []ControlDay{changed}, nil); err != nil { // recorded again unchanged: the row goes
		t.Fatal(err)
	}
	for n := 1; n <= 2*maxStatementRows+3; n++ {
		var steps []lifecycle.TransitionRecord
		for i := range n {
			tenant, control := fmt.Sprintf("tenant-%03d", n), fmt.Sprintf("Control%03d", i)
			steps = append(steps, lifecycle.TransitionRecord{WorkflowID: lifecycle.RecommendationWorkflowID(tenant, control),
				ChainID: "chain", Seq: 0, TenantID: tenant, ControlID: control,
				Transition: lifecycle.Transition{To: lifecycle.StageDetected, At: first}})
		}
		if err := s.RecordTransitions(ctx, steps); err != nil {
			t.Fatal(err)
		}
	}
	if misses := s.prepared.misses.Load(); misses != 0 {
		t.Errorf("the writer ran %d statements it had not prepared", misses)
	}
}

func TestStepsGoInStatementsOfPreparedSizes(t *testing.T) {
	for n := range 3*maxStatementRows + 2 {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		next := 0
		for chunk := range inStatements(rows) {
			if len(chunk) > maxStatementRows || bits.OnesCount(uint(len(chunk))) != 1 {
				t.Fatalf("%d rows: a statement of %d", n, len(chunk))
			}
			for _, row := range chunk {
				if row != next {
					t.Fatalf("%d rows: row %d where %d belongs", n, row, next)
				}
				next++
			}
		}
		if next != n {
			t.Fatalf("%d rows: %d in statements", n, next)
		}
	}
}
