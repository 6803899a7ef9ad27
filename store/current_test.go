package store_test

import (
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/store"
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
