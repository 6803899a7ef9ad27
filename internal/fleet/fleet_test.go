package fleet_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/fleet"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// seed gives each tenant AdminMFAV2 and the steps that end in to, with
// the reason of each step.
func seed(t *testing.T, s *store.DB, tenants map[string]struct {
	to     lifecycle.Stage
	reason string
}) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for tenant, end := range tenants {
		control := store.ControlDay{ControlID: "AdminMFAV2", Day: at, Title: "Require MFA for administrative roles", Service: "AzureAD", MaxScore: 10, State: "Default"}
		if err := s.RecordDays(ctx, tenant, []store.TenantDay{{Day: at, MaxScore: 10}}, []store.ControlDay{control}, nil); err != nil {
			t.Fatal(err)
		}
		step := func(seq int, from, to lifecycle.Stage, reason string) lifecycle.TransitionRecord {
			return lifecycle.TransitionRecord{WorkflowID: lifecycle.RecommendationWorkflowID(tenant, "AdminMFAV2"), ChainID: "c-" + tenant, RunID: "c-" + tenant,
				Seq: seq, TenantID: tenant, ControlID: "AdminMFAV2", Transition: lifecycle.Transition{At: at.Add(time.Duration(seq) * time.Hour),
					From: from, To: to, By: lifecycle.Person{ID: "id-" + tenant, Name: "Person of " + tenant}, Source: lifecycle.SourceSlack, Reason: reason}}
		}
		steps := []lifecycle.TransitionRecord{step(0, "", lifecycle.StageAwaitingDecision, "asked")}
		if end.to != lifecycle.StageAwaitingDecision {
			steps = append(steps, step(1, lifecycle.StageAwaitingDecision, end.to, end.reason))
		}
		if err := s.RecordTransitions(ctx, steps); err != nil {
			t.Fatal(err)
		}
	}
}

// A customer reads how many others implemented, chose an alternative or
// accepted the risk, and a reason only when at least three tenants gave it
// in the same words.
func TestTheFleetsRecordShowsAReasonOnlyOnceThreeTenantsGaveIt(t *testing.T) {
	s, err := store.Open(context.Background(), "", filepath.Join(t.TempDir(), "scoreflow.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	type end = struct {
		to     lifecycle.Stage
		reason string
	}
	seed(t, s, map[string]end{
		"asking":   {lifecycle.StageAwaitingDecision, ""},
		"alpha":    {lifecycle.StageRiskAccepted, "Legacy kiosks cannot enrol."},
		"bravo":    {lifecycle.StageRiskAccepted, "legacy kiosks  cannot enrol"},
		"charlie":  {lifecycle.StageRiskAccepted, "Legacy Kiosks cannot enrol!"},
		"delta":    {lifecycle.StageRiskAccepted, "Only the CFO of Delta Corp uses it"}, // one tenant's words: never shown
		"echo":     {lifecycle.StageRiskAccepted, "the board said no"},
		"foxtrot":  {lifecycle.StageRiskAccepted, "The board said no."}, // two tenants: not yet shown
		"golf":     {lifecycle.StageRFC, "approved"},
		"hotel":    {lifecycle.StageRFC, "alternative"},
		"india":    {lifecycle.StageRFC, "approved"},
		"juliette": {lifecycle.StageRFC, "approved"},
	})
	for tenant, stage := range map[string]lifecycle.Stage{"golf": lifecycle.StageCompleted, "hotel": lifecycle.StageResolvedAlternate, "india": lifecycle.StageCompleted} {
		if err := s.RecordTransitions(context.Background(), []lifecycle.TransitionRecord{{WorkflowID: lifecycle.RecommendationWorkflowID(tenant, "AdminMFAV2"),
			ChainID: "c-" + tenant, RunID: "c-" + tenant, Seq: 2, TenantID: tenant, ControlID: "AdminMFAV2",
			Transition: lifecycle.Transition{At: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), From: lifecycle.StageAwaitingDetection, To: stage}}}); err != nil {
			t.Fatal(err)
		}
	}
	records := fleet.NewRecords(s)
	asked, err := records.Records(context.Background(), "asking", "AdminMFAV2")
	record := asked["AdminMFAV2"]
	if err != nil {
		t.Fatal(err)
	}
	want := lifecycle.FleetRecord{Implemented: 2, Alternative: 1, RiskAccepted: 6,
		Reasons: []lifecycle.GroupedReason{{Text: "Legacy kiosks cannot enrol.", Tenants: 3}}}
	if fmt.Sprint(record) != fmt.Sprint(want) {
		t.Errorf("the record = %+v, want %+v", record, want)
	}
	// The asking tenant's own decisions are not the fleet's.
	alpha, err := records.Records(context.Background(), "alpha", "AdminMFAV2")
	own := alpha["AdminMFAV2"]
	if err != nil {
		t.Fatal(err)
	}
	if own.RiskAccepted != 5 || len(own.Reasons) != 0 {
		t.Errorf("alpha's view counts itself: %+v", own)
	}
}

func TestReasonsAreTheSameInTheSameWords(t *testing.T) {
	for a, b := range map[string]string{"Legacy kiosks cannot enrol.": "  legacy KIOSKS cannot   enrol", "“No budget”": "no budget"} {
		if fleet.Normalize(a) != fleet.Normalize(b) {
			t.Errorf("%q and %q are one reason: %q, %q", a, b, fleet.Normalize(a), fleet.Normalize(b))
		}
	}
	if fleet.Normalize("no budget this year") == fleet.Normalize("no budget") {
		t.Error("other words made one reason")
	}
}
