package store_test

import (
	"os"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// TestWriteFirstSchemaFixture writes testdata/schema-1.db, the store of the
// first schema with data, when SCOREFLOW_WRITE_STORE_FIXTURE is set. It was
// run once, on the release that introduced the store; the migration test
// then reads it on every later schema.
func TestWriteFirstSchemaFixture(t *testing.T) {
	if os.Getenv("SCOREFLOW_WRITE_STORE_FIXTURE") == "" {
		t.Skip("writes testdata/schema-1.db: set SCOREFLOW_WRITE_STORE_FIXTURE=1 on the release of schema 1")
	}
	path := "testdata/schema-1.db"
	_ = os.Remove(path)
	s, err := store.Open(ctx, path, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	var days []store.TenantDay
	for i, score := range []float64{12.06, 13.06, 14.06} {
		days = append(days, store.TenantDay{Day: at.AddDate(0, 0, i), CurrentScore: score, MaxScore: 66,
			EnabledServices: []string{"HasAADP2"}, Comparisons: []lifecycle.Comparison{{Basis: "AllTenants", AverageScore: 52.8}}})
	}
	if err := s.RecordDays(ctx, "contoso", days, []store.ControlDay{control("AdminMFAV2", 0, 0, "Default")}, nil); err != nil {
		t.Fatal(err)
	}
	var steps []lifecycle.TransitionRecord
	for seq, to := range []lifecycle.Stage{lifecycle.StageDetected, lifecycle.StageTriage} {
		steps = append(steps, lifecycle.TransitionRecord{WorkflowID: "scoreflow/contoso/AdminMFAV2", ChainID: "run-1", Seq: seq,
			RunID: "run-1", TenantID: "contoso", ControlID: "AdminMFAV2", Transition: lifecycle.Transition{At: at, To: to}})
	}
	if err := s.RecordTransitions(ctx, steps); err != nil {
		t.Fatal(err)
	}
}
