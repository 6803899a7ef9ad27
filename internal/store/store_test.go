package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

// eachBackend runs a test on a new SQLite store and a new PostgreSQL one.
func eachBackend(t *testing.T, test func(t *testing.T, dsn string, open func() *store.DB)) {
	for _, backend := range storetest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			dsn := backend.DSN(t)
			open := func() *store.DB {
				t.Helper()
				s, err := store.Open(context.Background(), dsn, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = s.Close() })
				return s
			}
			test(t, dsn, open)
		})
	}
}

var ctx = context.Background()

func day(n int) time.Time { return time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

func control(id string, d int, score float64, state string) store.ControlDay {
	return store.ControlDay{ControlID: id, Day: day(d), Title: "Title of " + id, Service: "AzureAD", Score: score, MaxScore: 10, State: state}
}

func TestADaysScoreIsRecordedAndASecondRecordOfTheDayReplacesIt(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		if has, err := s.HasScores(ctx, "contoso"); err != nil || has {
			t.Fatalf("a new store has scores: %v, %v", has, err)
		}
		comparisons := []lifecycle.Comparison{{Basis: "AllTenants", AverageScore: 52.8}}
		for _, score := range []float64{20, 21.5} { // the day's first sweep, then a second one
			if err := s.RecordDays(ctx, "contoso", []store.TenantDay{{Day: day(0), CurrentScore: score, MaxScore: 66,
				EnabledServices: []string{"HasAADP2"}, Comparisons: comparisons}}, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		days, err := s.Days(ctx, "contoso", day(-1))
		if err != nil || len(days) != 1 || days[0].CurrentScore != 21.5 || days[0].EnabledServices[0] != "HasAADP2" ||
			days[0].Comparisons[0] != comparisons[0] || fmt.Sprintf("%.1f", days[0].Percent()) != "32.6" {
			t.Fatalf("days = %+v, %v", days, err)
		}
		if has, _ := s.HasScores(ctx, "contoso"); !has {
			t.Error("a recorded day does not count")
		}
		if other, _ := s.Days(ctx, "fabrikam", day(-1)); len(other) != 0 {
			t.Errorf("another tenant sees contoso's days: %+v", other)
		}
	})
}

// A control has a row on the days its values changed, not every day; a day
// recorded again with the previous day's values loses its row.
func TestControlsAreKeptAsChangesOnly(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		record := func(controls ...store.ControlDay) {
			t.Helper()
			if err := s.RecordDays(ctx, "contoso", nil, controls, nil); err != nil {
				t.Fatal(err)
			}
		}
		record(control("AdminMFAV2", 0, 0, "Default"), control("AdminMFAV2", 1, 0, "Default"), control("AdminMFAV2", 2, 10, "Default"))
		record(control("AdminMFAV2", 3, 10, "Default")) // unchanged
		record(control("AdminMFAV2", 4, 10, "Ignored"))
		record(control("AdminMFAV2", 4, 10, "Default")) // the day again: back to the day before's values
		changes, err := s.Changes(ctx, "contoso", day(-10))
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 1 || changes[0].Kind != store.ChangeScore || !changes[0].At.Equal(day(2)) ||
			changes[0].Before.Score != 0 || changes[0].After.Score != 10 || changes[0].Title != "Title of AdminMFAV2" {
			t.Fatalf("changes = %+v", changes)
		}
	})
}

// Graph's state updates and the lifecycle's steps are recorded once however
// often they are written, and merge with the score changes in time order.
func TestChangesMergeScoresStateUpdatesAndStepsInTimeOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		update := store.StateUpdate{ControlID: "AdminMFAV2", At: day(3).Add(9 * time.Hour), State: "Ignored", By: "app", Comment: "Risk accepted by Chris"}
		step := lifecycle.TransitionRecord{WorkflowID: "scoreflow/contoso/AdminMFAV2", ChainID: "run-1", Seq: 4, RunID: "run-1",
			TenantID: "contoso", ControlID: "AdminMFAV2", TicketKey: "CON-1", Transition: lifecycle.Transition{
				At: day(3).Add(8 * time.Hour), From: lifecycle.StageAwaitingDecision, To: lifecycle.StageRiskAccepted,
				By: lifecycle.Person{ID: "U0CUSTOMER1", Name: "Chris"}, Source: lifecycle.SourceSlack, Reason: "Risk accepted by Chris"}}
		for range 3 { // retried and replayed writes
			if err := s.RecordDays(ctx, "contoso", nil, []store.ControlDay{control("AdminMFAV2", 1, 0, "Default"), control("AdminMFAV2", 4, 0, "Ignored")},
				[]store.StateUpdate{update, {ControlID: "AdminMFAV2", State: "Default"}}); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordTransitions(ctx, []lifecycle.TransitionRecord{step}); err != nil {
				t.Fatal(err)
			}
		}
		changes, err := s.Changes(ctx, "contoso", day(0))
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, c := range changes {
			kinds = append(kinds, string(c.Kind))
		}
		if strings.Join(kinds, " ") != "transition state score" {
			t.Fatalf("changes in order: %v\n%+v", kinds, changes)
		}
		if got := changes[0].Step; got.By.Name != "Chris" || got.TicketKey != "CON-1" || got.To != lifecycle.StageRiskAccepted || !got.At.Equal(step.At) {
			t.Errorf("the step read back = %+v", got)
		}
		if got := changes[1].Update; got.Comment != update.Comment || !got.At.Equal(update.At) {
			t.Errorf("the state update read back = %+v", got)
		}
		if steps, _ := s.Transitions(ctx, "contoso", day(0)); len(steps) != 1 {
			t.Errorf("%d steps recorded, want one", len(steps))
		}
		if other, _ := s.Changes(ctx, "fabrikam", day(0)); len(other) != 0 {
			t.Errorf("another tenant sees contoso's changes: %+v", other)
		}
	})
}

func TestPruneDeletesWhatIsOlderInBatches(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		var days []store.TenantDay
		var controls []store.ControlDay
		for d := range 30 {
			days = append(days, store.TenantDay{Day: day(d), CurrentScore: float64(d), MaxScore: 66})
			controls = append(controls, control("AdminMFAV2", d, float64(d), "Default"))
			// RoleOverlap changed on day 5 only: that row holds its values since.
			controls = append(controls, control("RoleOverlap", d, float64(min(d/5, 1)), "Default"))
		}
		if err := s.RecordDays(ctx, "contoso", days, controls, nil); err != nil {
			t.Fatal(err)
		}
		total := 0
		for {
			n, err := s.Prune(ctx, day(20), 4)
			if err != nil {
				t.Fatal(err)
			}
			if n > 4*4 {
				t.Fatalf("one batch deleted %d rows, more than 4 a table", n)
			}
			if total += n; n == 0 {
				break
			}
		}
		left, _ := s.Days(ctx, "contoso", day(-1))
		if total != 41 || len(left) != 10 || !left[0].Day.Equal(day(20)) {
			t.Errorf("pruned %d rows, %d days left from %v", total, len(left), left[0].Day)
		}
		// RoleOverlap's day-5 row stayed: a later day with its values is no change.
		if err := s.RecordDays(ctx, "contoso", nil, []store.ControlDay{control("RoleOverlap", 30, 1, "Default")}, nil); err != nil {
			t.Fatal(err)
		}
		if changes, _ := s.Changes(ctx, "contoso", day(20)); slices.ContainsFunc(changes, func(c store.Change) bool { return c.ControlID == "RoleOverlap" }) {
			t.Errorf("after the prune RoleOverlap lost the row of its values: %+v", changes)
		}
	})
}

// Two workers starting together on one store: one migrates, the other
// waits and finds the schema current.
func TestStoresOpeningTogetherMigrateOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string, _ func() *store.DB) {
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				s, err := store.Open(ctx, dsn, dsn)
				if err == nil {
					err = s.RecordDays(ctx, "contoso", []store.TenantDay{{Day: day(0), MaxScore: 66}}, nil, nil)
					_ = s.Close()
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
}

// A store whose schema a newer scoreflow wrote is refused, with a message
// that says so, and is not written to.
func TestAStoreFromANewerReleaseIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string, open func() *store.DB) {
		s := open()
		db := rawDB(t, dsn)
		if _, err := db.Exec(`INSERT INTO scoreflow_schema_version (version_id, is_applied) VALUES (99, TRUE)`); err != nil {
			t.Fatal(err)
		}
		_ = s.Close()
		_, err := store.Open(ctx, dsn, dsn)
		if err == nil || !strings.Contains(err.Error(), "version 99, newer than this scoreflow knows") {
			t.Fatalf("opening a newer store: %v", err)
		}
	})
}

// A database that holds another application's tables is refused, naming
// it, and nothing is written to it.
func TestADatabaseThatIsNotScoreflowsIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, dsn string, _ func() *store.DB) {
		db := rawDB(t, dsn)
		if _, err := db.Exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(ctx, dsn, dsn)
		if err == nil || !strings.Contains(err.Error(), "not scoreflow's") || strings.Contains(err.Error(), "scoreflow:scoreflow@") {
			t.Fatalf("opening another application's database: %v", err)
		}
		var tables int
		if err := db.QueryRow(tablesQuery(dsn)).Scan(&tables); err != nil || tables != 1 {
			t.Errorf("the refused database has %d tables (%v), want its one", tables, err)
		}
	})
}

func TestACorruptFileIsRefusedNamingIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scoreflow.db")
	garbage := []byte(strings.Repeat("not a database, ", 512))
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(ctx, path, path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("opening a corrupt file: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(garbage) {
		t.Error("the corrupt file was written to")
	}
}

// The first schema's database, as a release of it left one (testdata), is
// migrated in place and keeps its data.
func TestTheFirstSchemasStoreMigratesInPlace(t *testing.T) {
	fixture, err := os.ReadFile("testdata/schema-1.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scoreflow.db")
	if err := os.WriteFile(path, fixture, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	days, err := s.Days(ctx, "contoso", time.Time{})
	steps, _ := s.Transitions(ctx, "contoso", time.Time{})
	if err != nil || len(days) != 3 || days[2].CurrentScore != 14.06 || len(steps) != 2 {
		t.Fatalf("the fixture's data after migrating: %d days %+v, %d steps, %v", len(days), days, len(steps), err)
	}
	// Schema 3 fills where each recommendation stands from the steps.
	latest, err := s.LatestSteps(ctx, "contoso")
	if err != nil || len(latest) != 1 || latest[0].Seq != steps[1].Seq || latest[0].To != steps[1].To {
		t.Fatalf("the recommendations after migrating: %+v, %v; the steps %+v", latest, err, steps)
	}
}

func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, source := "sqlite", dsn
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func tablesQuery(dsn string) string {
	if store.IsPostgres(dsn) {
		return "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	return "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
}

// Steps written at the same moment by many workflows, some twice, share
// transactions and are each recorded once; a step of another workflow than
// its tenant's and control's is refused alone.
func TestStepsWrittenTogetherAreRecordedOnceEach(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		const workflows = 300
		var group sync.WaitGroup
		errs := make(chan error, 2*workflows+1)
		for w := range workflows {
			control := fmt.Sprintf("Control%03d", w)
			steps := []lifecycle.TransitionRecord{
				{WorkflowID: lifecycle.RecommendationWorkflowID("contoso", control), ChainID: "run-" + control, Seq: 0, RunID: "run-" + control,
					TenantID: "contoso", ControlID: control, Transition: lifecycle.Transition{At: day(1), To: lifecycle.StageDetected}},
				{WorkflowID: lifecycle.RecommendationWorkflowID("contoso", control), ChainID: "run-" + control, Seq: 1, RunID: "run-" + control,
					TenantID: "contoso", ControlID: control, Transition: lifecycle.Transition{At: day(1).Add(time.Second), From: lifecycle.StageDetected, To: lifecycle.StageTriage}},
			}
			for range 2 { // a retry racing the first write
				group.Go(func() { errs <- s.RecordTransitions(ctx, steps) })
			}
		}
		group.Go(func() {
			errs <- s.RecordTransitions(ctx, []lifecycle.TransitionRecord{{WorkflowID: "scoreflow/fabrikam/AdminMFAV2", ChainID: "x",
				TenantID: "contoso", ControlID: "AdminMFAV2", Transition: lifecycle.Transition{At: day(1)}}})
		})
		group.Wait()
		close(errs)
		failed := 0
		for err := range errs {
			if err != nil {
				failed++
			}
		}
		steps, err := s.Transitions(ctx, "contoso", day(0))
		if err != nil || failed != 1 || len(steps) != 2*workflows {
			t.Errorf("%d writes failed, want the one of another workflow; %d steps recorded, want %d (%v)", failed, len(steps), 2*workflows, err)
		}
	})
}
