package main

import (
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Defender for Endpoint's controls in scope complete their lifecycle with no
// Graph write: Graph takes no state for them, so each step that would write
// asks on the ticket for the record by hand, and the audit trail says so.
// A write Graph accepts but never shows is reported once on the ticket.
// Either way the recommendation waits, in its end stage, for the record by hand.
func TestGraphWritesThatCannotBeMadeOrDoNotStick(t *testing.T) {
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "DefenderForOffice]", "DefenderForOffice, MDATP]")
	})
	s, ctx, c, contoso, graphSim, jiraSim := e.setup, e.ctx, e.client, e.contoso, e.graphSim, e.jiraSim
	sweep(t, s.configPath)
	for _, control := range []string{"scid_2010", "scid_2003", "IntegratedApps"} {
		waitStage(t, ctx, c, control, lifecycle.StageTriage)
	}

	starter(t, s, "verdict", "contoso", "scid_2010", "needs_change", "--by", "Jane")
	starter(t, s, "verdict", "contoso", "scid_2010", "no_impact", "--by", "Jane")
	waitStage(t, ctx, c, "scid_2010", lifecycle.StagePlanned)
	starter(t, s, "verdict", "contoso", "scid_2010", "rfc_implemented", "--by", "Jane")
	waitStage(t, ctx, c, "scid_2010", lifecycle.StageAwaitingDetection)
	graphSim.SetScore(contoso.AzureTenantID, "scid_2010", 8)
	starter(t, s, "verdict", "contoso", "scid_2003", "mitigated_elsewhere", "--by", "Jane")
	waitStage(t, ctx, c, "scid_2003", lifecycle.StageResolvedAlternate)
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "scid_2010", lifecycle.StageCompleted)

	if patches := graphSim.Patches(contoso.AzureTenantID); patches != 0 {
		t.Errorf("%d PATCHes were sent for Defender for Endpoint's controls, want none", patches)
	}
	for _, control := range []string{"scid_2010", "scid_2003"} {
		st := state(t, ctx, c, control)
		issue, _ := jiraSim.Issue(st.TicketKey)
		if byHand := countContaining(issue.Comments, "Please record it by hand"); byHand != 1 {
			t.Errorf("%s's ticket asks %d times for the state by hand, want once: %q", control, byHand, issue.Comments)
		}
		if len(stepsWith(st, "Graph did not take the state")) != 1 {
			t.Errorf("%s's audit trail does not say the write was not possible: %+v", control, st.Transitions)
		}
	}

	// A write that does not stick: Graph accepts the PATCH and never shows it.
	graphSim.DropStateUpdates(contoso.AzureTenantID, "IntegratedApps")
	starter(t, s, "verdict", "contoso", "IntegratedApps", "mitigated_elsewhere", "--by", "Jane")
	waitStage(t, ctx, c, "IntegratedApps", lifecycle.StageResolvedAlternate)
	time.Sleep(1500 * time.Millisecond) // past graph.write_check_after (1s), within as long again
	sweep(t, s.configPath)
	ticket := state(t, ctx, c, "IntegratedApps").TicketKey
	waitFor(t, ctx, func() bool {
		issue, _ := jiraSim.Issue(ticket)
		return countContaining(issue.Comments, "did not stick") > 0
	})
	// Graph shows what it showed before the write, and the check needed to
	// see it; awaiting the state by hand, the recommendation asks for every
	// sweep's observation, changed or not.
	waitFor(t, ctx, func() bool { return observedOf(t, ctx, c, "IntegratedApps") == lifecycle.ObservedEverySweep })
	sweep(t, s.configPath) // no second note
	issue, _ := jiraSim.Issue(ticket)
	if n := countContaining(issue.Comments, "did not stick"); n != 1 {
		t.Errorf("the ticket reports the write %d times, want once: %q", n, issue.Comments)
	}

	// Both stay open in their end stage, fed by the sweeps, until the state
	// is recorded by hand: no sweep starts a second recommendation for them.
	tickets := map[string]string{"scid_2003": state(t, ctx, c, "scid_2003").TicketKey, "IntegratedApps": ticket}
	for control, key := range tickets {
		if st := state(t, ctx, c, control); st.Stage != lifecycle.StageResolvedAlternate || st.TicketKey != key || st.ByHandState != "Reviewed" {
			t.Errorf("%s before the record by hand: stage %s, ticket %s (want %s), awaiting %q", control, st.Stage, st.TicketKey, key, st.ByHandState)
		}
		graphSim.SetState(contoso.AzureTenantID, control, "Reviewed", "Jane")
	}
	sweep(t, s.configPath)
	for control := range tickets {
		var st lifecycle.RecommendationState
		if err := c.GetWorkflow(ctx, lifecycle.RecommendationWorkflowID("contoso", control), "").Get(ctx, &st); err != nil {
			t.Fatalf("%s did not end after the record by hand: %v", control, err)
		}
		if len(stepsWith(st, "was recorded by hand")) != 1 {
			t.Errorf("%s's audit trail lacks the record by hand: %+v", control, st.Transitions)
		}
	}
	e.stop(t)
}

func countContaining(texts []string, part string) int {
	n := 0
	for _, text := range texts {
		if strings.Contains(text, part) {
			n++
		}
	}
	return n
}

func stepsWith(st lifecycle.RecommendationState, part string) []lifecycle.Transition {
	var found []lifecycle.Transition
	for _, tr := range st.Transitions {
		if strings.Contains(tr.Reason, part) {
			found = append(found, tr)
		}
	}
	return found
}
