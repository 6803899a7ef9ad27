package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

// BenchmarkStoreAtScale measures the store at MSP scale: a year of 1,000
// tenants of 80 controls, its size on SQLite, the writes of a day's sweep and
// the reads of one tenant's history, each beside a baseline measured in the
// same run. BENCHMARKS.md holds the results; reproduce them with
//
//	go test ./store -run '^$' -bench StoreAtScale -benchtime 1x -timeout 30m
//
// PostgreSQL is measured too when SCOREFLOW_TEST_POSTGRES is set;
// SCOREFLOW_BENCH_STORE_TENANTS (e.g. "100") runs it at another size.
func BenchmarkStoreAtScale(b *testing.B) {
	tenants := benchTenants(b)
	year := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	backends := []struct{ name, dsn string }{{"sqlite", filepath.Join(b.TempDir(), "scoreflow.db")}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		backends = append(backends, struct{ name, dsn string }{"postgres", storetest.Postgres(b)})
	}
	for _, backend := range backends {
		s, err := Open(context.Background(), backend.dsn, backend.dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("Year/%s/tenants=%d", backend.name, tenants), func(b *testing.B) {
			start := time.Now()
			rows := s.writeYears(b, tenants, year)
			b.ReportMetric(time.Since(start).Seconds(), "s_to_write")
			size := s.sizeMB(b)
			b.ReportMetric(size, "MB")
			b.ReportMetric(size*1e6/float64(tenants), "bytes/tenant-year")
			b.ReportMetric(float64(rows)/float64(tenants), "rows/tenant-year")
		})
		b.Run(fmt.Sprintf("DaySweep/%s/tenants=%d", backend.name, tenants), func(b *testing.B) {
			sweep, baseline := s.daySweep(b, tenants, year.AddDate(0, 0, 365))
			b.ReportMetric(sweep.Seconds(), "s_sweep")
			b.ReportMetric(float64(sweep.Microseconds())/1000/float64(tenants), "ms/tenant")
			b.ReportMetric(float64(sweep)/float64(baseline), "x_plain_inserts")
		})
		b.Run(fmt.Sprintf("Read/%s/tenants=%d", backend.name, tenants), func(b *testing.B) {
			p50, p99, base99 := s.reads(b, tenants, year.AddDate(0, 0, 365))
			b.ReportMetric(p50, "ms_p50")
			b.ReportMetric(p99, "ms_p99")
			b.ReportMetric(p99/base99, "x_point_read_p99")
		})
		_ = s.Close()
	}
}

const (
	benchControls = 80
	benchDays     = 365
)

func benchTenants(b *testing.B) int {
	if v := os.Getenv("SCOREFLOW_BENCH_STORE_TENANTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("SCOREFLOW_BENCH_STORE_TENANTS=%q: want a number of tenants", v)
		}
		return n
	}
	return 1000
}

// tenantPlan is one tenant's simulated year, the same for the same tenant:
// half its controls change during it (a score raised, or a state set by
// someone in the portal), and each of those goes through seven lifecycle
// steps on the way.
type tenantPlan struct {
	id       string
	from     time.Time
	controls []controlPlan
}

type controlPlan struct {
	id        string
	changeDay int    // -1: no change this year
	state     string // the state set on that day; Default: the score was raised instead
}

func planOf(tenant int, from time.Time) tenantPlan {
	random := rand.New(rand.NewPCG(uint64(tenant), 17))
	p := tenantPlan{id: fmt.Sprintf("tenant-%04d", tenant), from: from}
	for c := range benchControls {
		control := controlPlan{id: fmt.Sprintf("Control%02d", c), changeDay: -1, state: "Default"}
		if random.IntN(2) == 0 {
			control.changeDay = random.IntN(benchDays)
			if random.IntN(4) == 0 {
				control.state = "Ignored"
			}
		}
		p.controls = append(p.controls, control)
	}
	return p
}

// lifecycleStages are the steps a changed control goes through.
var lifecycleStages = []lifecycle.Stage{"", lifecycle.StageDetected, lifecycle.StageTriage, lifecycle.StageAssessment,
	lifecycle.StageAwaitingDecision, lifecycle.StagePlanned, lifecycle.StageAwaitingDetection, lifecycle.StageCompleted}

// day is what the tenant's sweep and workflows record on day d: the
// day's score, every control as read, Graph's state updates and the
// lifecycle steps of the controls that change that day.
func (p tenantPlan) day(d int) (TenantDay, []ControlDay, []StateUpdate, []lifecycle.TransitionRecord) {
	day := p.from.AddDate(0, 0, d)
	score := 0.0
	var controls []ControlDay
	var updates []StateUpdate
	var steps []lifecycle.TransitionRecord
	for c, control := range p.controls {
		points, state := 0.0, "Default"
		if control.changeDay >= 0 && d >= control.changeDay {
			if control.state == "Default" {
				points = 5
			} else {
				state = control.state
			}
		}
		score += points
		controls = append(controls, ControlDay{ControlID: control.id, Day: day,
			Title: fmt.Sprintf("Recommended action number %d of the tenant's Secure Score", c), Service: "AzureAD",
			Score: points, MaxScore: 5, State: state})
		if control.changeDay != d {
			continue
		}
		at := day.Add(9 * time.Hour)
		if control.state != "Default" {
			updates = append(updates, StateUpdate{ControlID: control.id, At: at, State: control.state, By: "admin@" + p.id + ".example",
				Comment: "Risk accepted by the customer: the legacy admin tooling cannot do it"})
		}
		workflowID := lifecycle.RecommendationWorkflowID(p.id, control.id)
		runID := uuidOf(workflowID)
		for seq := 1; seq < len(lifecycleStages); seq++ {
			steps = append(steps, lifecycle.TransitionRecord{WorkflowID: workflowID, ChainID: runID, Seq: seq - 1, RunID: runID,
				TenantID: p.id, ControlID: control.id, TicketKey: "SEC-1042", RFCKey: "SEC-1043",
				Transition: lifecycle.Transition{At: at.Add(-time.Duration(len(lifecycleStages)-seq) * time.Minute),
					From: lifecycleStages[seq-1], To: lifecycleStages[seq], Source: lifecycle.SourceJiraWebhook,
					By: lifecycle.Person{ID: "jane@msp.example", Name: "Jane Specialist"}, Reason: "ticket moved to the next status by the specialist"}})
		}
	}
	return TenantDay{Day: day, CurrentScore: score, MaxScore: 5 * benchControls,
		EnabledServices: []string{"HasAADP2", "HasExchange", "HasSPOP1", "HasOD4B", "HasTeams"},
		Comparisons:     []lifecycle.Comparison{{Basis: "AllTenants", AverageScore: 52.86}, {Basis: "TotalSeats", AverageScore: 48.1}},
	}, controls, updates, steps
}

// uuidOf is a run ID of Temporal's length (36 characters), the same for the same workflow.
func uuidOf(workflowID string) string {
	sum := rand.New(rand.NewPCG(uint64(len(workflowID)), uint64(workflowID[len(workflowID)-1])))
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", sum.Uint32(), sum.Uint32()&0xffff, sum.Uint32()&0xffff, sum.Uint32()&0xffff, sum.Uint64()&0xffffffffffff)
}

// writeYears records a year day by day, as the daily sweeps and the
// workflows write it, so the store's pages fill as they would; each day's
// tenants go in transactions of a hundred, to take minutes rather than the
// hours of a transaction each. It returns how many rows the store keeps.
func (s *DB) writeYears(b *testing.B, tenants int, from time.Time) int {
	ctx := context.Background()
	plans := make([]tenantPlan, tenants)
	for t := range plans {
		plans[t] = planOf(t, from)
	}
	for d := range benchDays {
		for first := 0; first < tenants; first += 100 {
			err := s.inTx(ctx, func(tx writeTx) error {
				for _, p := range plans[first:min(first+100, tenants)] {
					day, controls, updates, steps := p.day(d)
					if err := recordTenantDay(ctx, tx, p.id, day); err != nil {
						return err
					}
					if err := recordControlChanges(ctx, tx, p.id, controls); err != nil {
						return err
					}
					if err := recordStateUpdates(ctx, tx, p.id, updates); err != nil {
						return err
					}
					if err := s.recordTransitions(ctx, tx, steps); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	total := 0
	for _, table := range []string{"tenant_scores", "control_scores", "control_state_updates", "transitions"} {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			b.Fatal(err)
		}
		total += n
	}
	return total
}

// sizeMB is the store's size on disk: the SQLite file with its write-ahead
// log checkpointed, or PostgreSQL's database.
func (s *DB) sizeMB(b *testing.B) float64 {
	ctx := context.Background()
	if s.backend == postgresBackend {
		var size int64
		if err := s.db.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&size); err != nil {
			b.Fatal(err)
		}
		return float64(size) / 1e6
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(s.where)
	if err != nil {
		b.Fatal(err)
	}
	return float64(info.Size()) / 1e6
}

// daySweep records one more day of every tenant, one tenant at a time as the
// sweeps' activities do, a control in fifty changed; the baseline is the
// same rows as plain inserts into a table without keys, by a statement
// prepared once as the store's are, a transaction a tenant: what any store
// pays for the day.
func (s *DB) daySweep(b *testing.B, tenants int, day time.Time) (sweep, baseline time.Duration) {
	ctx := context.Background()
	type record struct {
		day      TenantDay
		controls []ControlDay
	}
	records := make([]record, tenants)
	for t := range tenants {
		today, controls, _, _ := planOf(t, day.AddDate(0, 0, -benchDays)).day(benchDays)
		for i := range controls {
			if (t+i)%50 == 0 {
				controls[i].Score = 1
			}
		}
		records[t] = record{today, controls}
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE bench_plain (tenant_id TEXT, control_id TEXT, day TEXT, title TEXT,
		service TEXT, score DOUBLE PRECISION, max_score DOUBLE PRECISION, state TEXT, deprecated BOOLEAN)`); err != nil {
		b.Fatal(err)
	}
	defer func() { _, _ = s.db.ExecContext(ctx, "DROP TABLE bench_plain") }()
	plain, err := s.writes.PrepareContext(ctx, `INSERT INTO bench_plain VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`)
	if err != nil {
		b.Fatal(err)
	}
	defer plain.Close()
	start := time.Now()
	for t, r := range records {
		err := s.inTx(ctx, func(tx writeTx) error {
			insert := tx.StmtContext(ctx, plain)
			for _, c := range r.controls {
				if _, err := insert.ExecContext(ctx,
					fmt.Sprintf("tenant-%04d", t), c.ControlID, formatDay(c.Day), c.Title, c.Service, c.Score, c.MaxScore, c.State, c.Deprecated); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	baseline = time.Since(start)
	start = time.Now()
	for t, r := range records {
		if err := s.RecordDays(ctx, fmt.Sprintf("tenant-%04d", t), []TenantDay{r.day}, r.controls, nil); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start), baseline
}

// reads reads random tenants' year of days and 90 days of changes, as the
// CLI and the dashboard do, and returns the p50 and p99 in ms, with the p99
// of a single-row read by primary key as the baseline.
func (s *DB) reads(b *testing.B, tenants int, now time.Time) (p50, p99, baseline99 float64) {
	ctx := context.Background()
	random := rand.New(rand.NewPCG(1, 2))
	const samples = 1000
	var latencies, points []float64
	for range samples {
		id := fmt.Sprintf("tenant-%04d", random.IntN(tenants))
		start := time.Now()
		var one int
		if err := s.db.QueryRowContext(ctx, "SELECT 1 FROM tenant_scores WHERE tenant_id = $1 AND day = $2",
			id, formatDay(now.AddDate(0, 0, -1))).Scan(&one); err != nil {
			b.Fatal(err)
		}
		points = append(points, float64(time.Since(start).Microseconds())/1000)
		start = time.Now()
		days, err := s.Days(ctx, id, now.AddDate(0, 0, -365))
		if err != nil || len(days) < benchDays {
			b.Fatalf("%s's year: %d days, %v", id, len(days), err)
		}
		if _, err := s.Changes(ctx, id, now.AddDate(0, 0, -90)); err != nil {
			b.Fatal(err)
		}
		latencies = append(latencies, float64(time.Since(start).Microseconds())/1000)
	}
	slices.Sort(latencies)
	slices.Sort(points)
	return latencies[samples/2], latencies[samples*99/100], points[samples*99/100]
}
