package store_test

import (
	"testing"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// The fleet's reads: every tenant's controls at their latest values with
// their recommendations' stages, one control across the tenants, and the
// customers' decisions on it.
func TestOneControlAcrossTheFleet(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ string, open func() *store.DB) {
		s := open()
		for tenant, score := range map[string]float64{"contoso": 0, "fabrikam": 3, "northwind": 10} {
			first := []store.ControlDay{control("AdminMFAV2", 0, score/2, "Default"), control("RoleOverlap", 0, 1, "Default")}
			later := []store.ControlDay{control("AdminMFAV2", 5, score, "Default")}
			if err := s.RecordDays(ctx, tenant, []store.TenantDay{{Day: day(0), MaxScore: 10}}, first, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordDays(ctx, tenant, []store.TenantDay{{Day: day(5), MaxScore: 10}}, later, nil); err != nil {
				t.Fatal(err)
			}
		}
		step := func(tenant string, seq int, at int, from, to lifecycle.Stage, by string) lifecycle.TransitionRecord {
			return lifecycle.TransitionRecord{WorkflowID: lifecycle.RecommendationWorkflowID(tenant, "AdminMFAV2"), ChainID: "c-" + tenant, RunID: "c-" + tenant,
				Seq: seq, TenantID: tenant, ControlID: "AdminMFAV2",
				Transition: lifecycle.Transition{At: day(at), From: from, To: to, By: lifecycle.Person{ID: by, Name: by}, Source: lifecycle.SourceSlack, Reason: "r-" + tenant}}
		}
		if err := s.RecordTransitions(ctx, []lifecycle.TransitionRecord{
			step("contoso", 0, 1, "", lifecycle.StageAwaitingDecision, "jane"),
			step("contoso", 1, 2, lifecycle.StageAwaitingDecision, lifecycle.StageRiskAccepted, "chris"),
			step("fabrikam", 0, 1, "", lifecycle.StageAwaitingDecision, "jane"),
			step("fabrikam", 1, 3, lifecycle.StageAwaitingDecision, lifecycle.StageAwaitingDecision, "scoreflow"), // an escalation
		}); err != nil {
			t.Fatal(err)
		}

		all, err := s.FleetControls(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 6 {
			t.Fatalf("every control of every tenant: %d rows, want 6: %+v", len(all), all)
		}
		admin, err := s.FleetControl(ctx, "AdminMFAV2")
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			tenant string
			score  float64
			stage  lifecycle.Stage
		}{{"contoso", 0, lifecycle.StageRiskAccepted}, {"fabrikam", 3, lifecycle.StageAwaitingDecision}, {"northwind", 10, ""}}
		if len(admin) != len(want) {
			t.Fatalf("AdminMFAV2 across the fleet: %+v", admin)
		}
		for i, w := range want {
			if got := admin[i]; got.TenantID != w.tenant || got.Score != w.score || got.Stage != w.stage {
				t.Errorf("AdminMFAV2 of %s: %+v, want its latest values (score %v) in stage %q", w.tenant, got, w.score, w.stage)
			}
		}
		decisions, err := s.ControlDecisions(ctx, "AdminMFAV2")
		if err != nil {
			t.Fatal(err)
		}
		if len(decisions) != 1 || decisions[0].TenantID != "contoso" || decisions[0].By.ID != "chris" || decisions[0].Reason != "r-contoso" {
			t.Errorf("the decisions on AdminMFAV2: %+v, want Contoso's alone (an escalation is no decision)", decisions)
		}
	})
}
