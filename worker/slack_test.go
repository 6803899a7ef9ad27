package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func TestCustomersDecideInSlack(t *testing.T) {
	e := startE2E(t, true)
	s, ctx, c := e.setup, e.ctx, e.client
	sweep(t, s.configPath)
	ask := func(control string) slacksim.Message {
		t.Helper()
		waitStage(t, ctx, c, control, lifecycle.StageTriage)
		starter(t, s, "verdict", "contoso", control, "needs_change", "--by", "Jane")
		starter(t, s, "verdict", "contoso", control, "critical_decision", "--by", "Jane", "--advice", "Do it this week")
		waitFor(t, ctx, func() bool { return state(t, ctx, c, control).DecisionMessage != nil })
		ts := state(t, ctx, c, control).DecisionMessage.TS
		for _, m := range e.slackSim.Messages("C0CONTOSO") {
			if m.TS == ts {
				return m
			}
		}
		t.Fatalf("no decision message %s in the channel", ts)
		return slacksim.Message{}
	}
	clicks := e.slackSim.Interactions("http://"+s.gateway()+"/slack/interactions", testSlackSigningSecret)
	customer := slacksim.User{ID: "U0CUSTOMER1", Name: "chris"}
	stranger := slacksim.User{ID: "U0STRANGER", Name: "mallory"}

	// Accept risk: the modal asks why, an empty reason is refused, the reason reaches Graph.
	adminMessage := ask("AdminMFAV2")
	adminWorkflow := lifecycle.RecommendationWorkflowID("contoso", "AdminMFAV2")
	if code, _, err := clicks.Click(stranger, adminMessage, slack.ActionApprove, adminWorkflow); err != nil || code != http.StatusOK {
		t.Fatalf("a stranger's click: %d, %v", code, err)
	}
	if ephemerals := e.slackSim.Ephemerals(); len(ephemerals) != 1 || ephemerals[0].User != stranger.ID || !strings.Contains(ephemerals[0].Text, "Only the approvers") {
		t.Errorf("the stranger was not told: %+v", ephemerals)
	}
	forged := e.slackSim.Interactions("http://"+s.gateway()+"/slack/interactions", "guessed-secret")
	if code, _, _ := forged.Click(customer, adminMessage, slack.ActionApprove, adminWorkflow); code != http.StatusUnauthorized {
		t.Errorf("a forged click answered %d", code)
	}
	if code, _, _ := clicks.Stale(customer, adminMessage, slack.ActionApprove, adminWorkflow); code != http.StatusUnauthorized {
		t.Errorf("a stale click answered %d", code)
	}
	if st := state(t, ctx, c, "AdminMFAV2"); st.Stage != lifecycle.StageAwaitingDecision {
		t.Fatalf("a refused click moved the recommendation to %s", st.Stage)
	}
	if code, _, _ := clicks.Click(customer, adminMessage, slack.ActionAcceptRisk, adminWorkflow); code != http.StatusOK {
		t.Fatalf("accept risk answered %d", code)
	}
	views := e.slackSim.Views()
	if len(views) != 1 || views[0].CallbackID != slack.RiskReasonModal || !strings.HasPrefix(views[0].PrivateMetadata, adminWorkflow+"|") {
		t.Fatalf("modals = %+v", views)
	}
	if code, body, _ := clicks.SubmitReason(customer, views[0], ""); code != http.StatusOK || !strings.Contains(body, `"response_action":"errors"`) {
		t.Errorf("an empty reason: %d %s", code, body)
	}
	if code, body, _ := clicks.SubmitReason(customer, views[0], "the legacy admin tool cannot do MFA"); code != http.StatusOK || body != "" {
		t.Fatalf("the reason: %d %s", code, body)
	}
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageRiskAccepted)
	if code, _, _ := clicks.Replay(); code != http.StatusUnauthorized {
		t.Errorf("a replayed submission answered %d", code)
	}
	profile, _ := e.graphSim.Profile(e.contoso.AzureTenantID, "AdminMFAV2")
	if last := profile.ControlStateUpdates[len(profile.ControlStateUpdates)-1]; last.State != "Ignored" ||
		!strings.Contains(last.Comment, "chris") || !strings.Contains(last.Comment, "legacy admin tool") {
		t.Errorf("Graph after accepting the risk in Slack: %+v", last)
	}
	waitFor(t, ctx, func() bool {
		for _, m := range e.slackSim.Messages("C0CONTOSO") {
			if m.TS == adminMessage.TS {
				return m.Updated == 1 && strings.Contains(m.Text, "risk accepted by <@U0CUSTOMER1>")
			}
		}
		return false
	})

	// Approve: a click moves it to planned; a second click is told there is nothing left to decide.
	lockboxMessage := ask("CustomerLockBoxEnabled")
	lockboxWorkflow := lifecycle.RecommendationWorkflowID("contoso", "CustomerLockBoxEnabled")
	if code, _, _ := clicks.Click(customer, lockboxMessage, slack.ActionApprove, lockboxWorkflow); code != http.StatusOK {
		t.Fatalf("approve answered %d", code)
	}
	waitStage(t, ctx, c, "CustomerLockBoxEnabled", lifecycle.StagePlanned)
	before := len(e.slackSim.Ephemerals())
	clicks.Click(customer, lockboxMessage, slack.ActionAlternative, lockboxWorkflow)
	if ephemerals := e.slackSim.Ephemerals(); len(ephemerals) != before+1 || !strings.Contains(ephemerals[before].Text, "no longer awaits") {
		t.Errorf("a late click: %+v", ephemerals[before:])
	}
	if st := state(t, ctx, c, "CustomerLockBoxEnabled"); st.Alternate || st.Stage != lifecycle.StagePlanned {
		t.Errorf("a late click changed the recommendation: %+v", st.Stage)
	}

	// Not critical: no message of its own, but an item with its buttons in the regular-meeting digest.
	if _, err := c.ScheduleClient().GetHandle(ctx, lifecycle.DigestScheduleID("contoso")).Describe(ctx); err != nil {
		t.Errorf("no digest schedule: %v", err)
	}
	posted := len(e.slackSim.Messages("C0CONTOSO"))
	for _, control := range []string{"RoleOverlap", "IntegratedApps"} {
		starter(t, s, "verdict", "contoso", control, "needs_change", "--by", "Jane")
		starter(t, s, "verdict", "contoso", control, "customer_decision", "--by", "Jane", "--advice", "Fine to do")
	}
	if len(e.slackSim.Messages("C0CONTOSO")) != posted {
		t.Fatal("a non-critical decision got a message of its own")
	}
	if out := starter(t, s, "digest", "--tenant", "contoso"); !strings.Contains(out, "with 2 open decisions") {
		t.Fatalf("starter digest: %s", out)
	}
	messages := e.slackSim.Messages("C0CONTOSO")
	digest := messages[len(messages)-1]
	blocks := string(digest.Blocks)
	roleWorkflow := lifecycle.RecommendationWorkflowID("contoso", "RoleOverlap")
	if !strings.Contains(digest.Text, "regular meeting") || !strings.Contains(blocks, roleWorkflow) ||
		!strings.Contains(blocks, lifecycle.RecommendationWorkflowID("contoso", "IntegratedApps")) || strings.Contains(blocks, adminWorkflow) {
		t.Fatalf("digest = %s\n%s", digest.Text, blocks)
	}
	if code, _, _ := clicks.Click(customer, digest, slack.ActionApprove, roleWorkflow); code != http.StatusOK {
		t.Fatalf("approving from the digest answered %d", code)
	}
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StagePlanned)
	// The digest now shows who decided that item; the other item keeps its buttons.
	waitFor(t, ctx, func() bool {
		for _, m := range e.slackSim.Messages("C0CONTOSO") {
			if m.TS == digest.TS {
				updated := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(m.Blocks))
				return m.Updated == 1 && strings.Contains(updated, "approved by <@U0CUSTOMER1>") &&
					strings.Contains(updated, slack.DigestItemBlockID(lifecycle.RecommendationWorkflowID("contoso", "IntegratedApps"))) &&
					!strings.Contains(updated, slack.DigestItemBlockID(roleWorkflow))
			}
		}
		return false
	})
	// The next digest keeps only what is still open.
	starter(t, s, "digest", "--tenant", "contoso")
	messages = e.slackSim.Messages("C0CONTOSO")
	if next := string(messages[len(messages)-1].Blocks); strings.Contains(next, roleWorkflow) {
		t.Error("a decided recommendation stayed in the digest")
	}
	recordHistory(t, ctx, c, "AdminMFAV2", "critical_risk_accepted_in_slack")
	recordHistory(t, ctx, c, "CustomerLockBoxEnabled", "critical_approved_in_slack")
	recordHistory(t, ctx, c, "RoleOverlap", "digest_approved_in_slack")
	e.stop(t)
}
