package store_test

import (
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

func TestControlsAndLatestStepsAreEachControlsNewest(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		if err := s.RecordDays(ctx, "contoso", nil, []store.ControlDay{control("AdminMFAV2", 0, 0, "Default"),
			control("AdminMFAV2", 5, 10, "Default"), control("RoleOverlap", 1, 2, "Default")}, nil); err != nil {
			t.Fatal(err)
		}
		controls, err := s.Controls(ctx, "contoso")
		if err != nil {
			t.Fatal(err)
		}
		if len(controls) != 2 || controls[0].ControlID != "AdminMFAV2" || controls[0].Score != 10 || controls[1].Score != 2 {
			t.Fatalf("controls = %+v", controls)
		}
		step := func(control, chain string, seq, at int, to lifecycle.Stage, critical bool) lifecycle.TransitionRecord {
			return lifecycle.TransitionRecord{WorkflowID: lifecycle.RecommendationWorkflowID("contoso", control), ChainID: chain, RunID: chain,
				Seq: seq, TenantID: "contoso", ControlID: control, Critical: critical,
				Transition: lifecycle.Transition{At: day(at), To: to, Reason: "r"}}
		}
		if err := s.RecordTransitions(ctx, []lifecycle.TransitionRecord{
			step("AdminMFAV2", "old-chain", 0, 0, lifecycle.StageDetected, false),
			step("AdminMFAV2", "old-chain", 1, 1, lifecycle.StageCompleted, false),
			step("AdminMFAV2", "regression", 0, 6, lifecycle.StageDetected, false),
			step("AdminMFAV2", "regression", 1, 7, lifecycle.StageAwaitingDecision, true),
			step("RoleOverlap", "chain", 0, 1, lifecycle.StageDetected, false),
		}); err != nil {
			t.Fatal(err)
		}
		latest, err := s.LatestSteps(ctx, "contoso")
		if err != nil {
			t.Fatal(err)
		}
		if len(latest) != 2 || latest[0].ChainID != "regression" || latest[0].To != lifecycle.StageAwaitingDecision || !latest[0].Critical ||
			latest[1].To != lifecycle.StageDetected {
			t.Fatalf("latest steps = %+v", latest)
		}
		if other, err := s.LatestSteps(ctx, "fabrikam"); err != nil || len(other) != 0 {
			t.Fatalf("another tenant's latest steps = %+v, %v", other, err)
		}
	})
}

func TestSessionsLiveUntilTheyExpireOrAreDeleted(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		sessions := open().Sessions()
		if err := sessions.CommitCtx(ctx, "token-a", []byte("viewer a"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := sessions.CommitCtx(ctx, "token-b", []byte("viewer b"), time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if data, found, err := sessions.FindCtx(ctx, "token-a"); err != nil || !found || string(data) != "viewer a" {
			t.Fatalf("token-a: %q %v %v", data, found, err)
		}
		if _, found, err := sessions.FindCtx(ctx, "token-b"); err != nil || found {
			t.Fatalf("an expired session was found: %v %v", found, err)
		}
		if n, err := sessions.DeleteExpired(ctx); err != nil || n != 1 {
			t.Fatalf("deleted %d expired sessions, %v; want 1", n, err)
		}
		if err := sessions.DeleteCtx(ctx, "token-a"); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := sessions.FindCtx(ctx, "token-a"); found {
			t.Fatal("a deleted session was found")
		}
	})
}

// The overview's two reads: every tenant's open recommendations counted by
// stage, with the overdue ones by the deadlines given, and every tenant's
// first and latest day of a period. A step written again later, or an older
// one arriving after a newer, does not move a recommendation back.
func TestOpenCountsAndLatestDaysOfEveryTenant(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		step := func(tenant, control string, seq, at int, to lifecycle.Stage, critical bool) lifecycle.TransitionRecord {
			return lifecycle.TransitionRecord{WorkflowID: lifecycle.RecommendationWorkflowID(tenant, control), ChainID: "c-" + control, RunID: "c-" + control,
				Seq: seq, TenantID: tenant, ControlID: control, Critical: critical, Transition: lifecycle.Transition{At: day(at), To: to, Reason: "r"}}
		}
		decided := step("contoso", "A", 1, 10, lifecycle.StageAwaitingDecision, true)
		for _, batch := range [][]lifecycle.TransitionRecord{
			{step("contoso", "A", 0, 1, lifecycle.StageDetected, false), decided},
			{step("contoso", "B", 0, 2, lifecycle.StageAwaitingDecision, true), step("contoso", "C", 0, 3, lifecycle.StageAwaitingDecision, false)},
			{step("contoso", "D", 0, 4, lifecycle.StageAwaitingDetection, false), step("contoso", "E", 0, 5, lifecycle.StageCompleted, false)},
			{step("contoso", "F", 0, 6, lifecycle.StageRiskAccepted, false), step("fabrikam", "A", 0, 7, lifecycle.StageTriage, false)},
			{step("contoso", "A", 0, 1, lifecycle.StageDetected, false), decided}, // written again
			// Steps that carry their workflow's own due dates are counted by those.
			{withDue(step("northwind", "A", 0, 1, lifecycle.StageAwaitingDecision, true), day(30)),
				withDue(step("northwind", "B", 0, 1, lifecycle.StageAwaitingDetection, false), day(9)),
				withDue(step("northwind", "C", 0, 1, lifecycle.StageRiskAccepted, false), day(3))},
		} {
			if err := s.RecordTransitions(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := s.OpenCounts(ctx, day(25), []store.Deadline{
			{Stage: lifecycle.StageAwaitingDecision, CriticalOnly: true, Before: day(8)},
			{Stage: lifecycle.StageAwaitingDetection, Before: day(20)},
		})
		if err != nil {
			t.Fatal(err)
		}
		type key struct {
			tenant   string
			stage    lifecycle.Stage
			critical bool
		}
		got := map[key]store.StageCount{}
		for _, c := range counts {
			got[key{c.TenantID, c.Stage, c.Critical}] = c
		}
		critical := got[key{"contoso", lifecycle.StageAwaitingDecision, true}]
		for stage, want := range map[lifecycle.Stage]int{lifecycle.StageAwaitingDecision: 0, lifecycle.StageAwaitingDetection: 1, lifecycle.StageRiskAccepted: 0} {
			if c := got[key{"northwind", stage, stage == lifecycle.StageAwaitingDecision}]; c.Count != 1 || c.Overdue != want {
				t.Errorf("northwind, %s, by its own due date: %+v, want %d overdue", stage, c, want)
			}
		}
		steps, err := s.LatestSteps(ctx, "northwind")
		if err != nil || len(steps) != 3 || !steps[0].Due.Equal(day(30)) || !steps[2].Due.Equal(day(3)) {
			t.Errorf("northwind's latest steps lost their due dates: %+v, %v", steps, err)
		}
		if len(counts) != 8 || critical.Count != 2 || !critical.Oldest.Equal(day(2)) || critical.Overdue != 1 {
			t.Errorf("counts = %+v", counts)
		}
		if c := got[key{"contoso", lifecycle.StageAwaitingDecision, false}]; c.Count != 1 || c.Overdue != 0 {
			t.Errorf("a decision that is not critical: %+v, want one, never overdue", c)
		}
		if c := got[key{"contoso", lifecycle.StageAwaitingDetection, false}]; c.Count != 1 || c.Overdue != 1 {
			t.Errorf("awaiting detection: %+v, want one, overdue", c)
		}
		if c := got[key{"contoso", lifecycle.StageRiskAccepted, false}]; c.Count != 1 {
			t.Errorf("a risk accepted is open until its re-review: %+v", c)
		}
		if c := got[key{"fabrikam", lifecycle.StageTriage, false}]; c.Count != 1 {
			t.Errorf("fabrikam: %+v", c)
		}

		for tenant, score := range map[string]float64{"contoso": 10, "fabrikam": 50} {
			var days []store.TenantDay
			for d := 0; d <= 40; d += 2 {
				days = append(days, store.TenantDay{Day: day(d), CurrentScore: score + float64(d), MaxScore: 100})
			}
			if err := s.RecordDays(ctx, tenant, days, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		latest, err := s.LatestDays(ctx, []string{"contoso", "fabrikam", "nobody"}, day(9))
		if err != nil {
			t.Fatal(err)
		}
		if c := latest["contoso"]; len(latest) != 2 || len(c) != 2 || c[0].CurrentScore != 20 || c[1].CurrentScore != 50 {
			t.Errorf("latest days = %+v, want contoso's of days 10 and 40", latest)
		}
	})
}

// A recommendation keeps the service its steps carry, and keeps it when a
// later step comes from a writer that did not know it.
func TestRecommendationsKeepTheServiceTheirStepsCarry(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		step := func(control, service string, seq int, to lifecycle.Stage) lifecycle.TransitionRecord {
			return lifecycle.TransitionRecord{WorkflowID: lifecycle.RecommendationWorkflowID("contoso", control), ChainID: "c", RunID: "c",
				Seq: seq, TenantID: "contoso", ControlID: control, Service: service,
				Transition: lifecycle.Transition{At: day(1 + seq), To: to, Reason: "r"}}
		}
		if err := s.RecordTransitions(ctx, []lifecycle.TransitionRecord{
			step("AdminMFAV2", "AzureAD", 0, lifecycle.StageDetected), step("exo_mailtips", "EXO", 0, lifecycle.StageDetected),
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordTransitions(ctx, []lifecycle.TransitionRecord{step("AdminMFAV2", "", 1, lifecycle.StageTriage)}); err != nil {
			t.Fatal(err)
		}
		counts, err := s.OpenCounts(ctx, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]lifecycle.Stage{}
		for _, c := range counts {
			found[c.Service] = c.Stage
		}
		if len(found) != 2 || found["AzureAD"] != lifecycle.StageTriage || found["EXO"] != lifecycle.StageDetected {
			t.Fatalf("open counts by service = %+v", counts)
		}
	})
}

func withDue(step lifecycle.TransitionRecord, due time.Time) lifecycle.TransitionRecord {
	step.Due = due
	return step
}
