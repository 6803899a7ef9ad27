package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func TestJiraWebhooksAndPollingDriveTheVerdicts(t *testing.T) {
	e := startE2E(t, true)
	s, ctx, c, jiraSim := e.setup, e.ctx, e.client, e.jiraSim
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageTriage)

	// A specialist moves the ticket; Jira delivers a signed webhook.
	jiraSim.SetWebhook("http://"+s.gateway()+"/jira/webhook", "jira-webhook-secret-value")
	jane := jirasim.User{AccountID: "557058:jane", DisplayName: "Jane Specialist"}
	ticket := state(t, ctx, c, "AdminMFAV2").TicketKey
	if status, err := jiraSim.MoveAs(ticket, "Needs Change", jane); err != nil || status != http.StatusNoContent {
		t.Fatalf("webhook delivery: %d, %v", status, err)
	}
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageAssessment)
	st := state(t, ctx, c, "AdminMFAV2")
	last := st.Transitions[len(st.Transitions)-1]
	if last.By.ID != "557058:jane" || last.By.Name != "Jane Specialist" || last.Source != lifecycle.SourceJiraWebhook {
		t.Errorf("the specialist was not recorded: %+v", last)
	}

	// Jira redelivers the same identifier; a forger posts without the secret.
	if status, _ := jiraSim.Redeliver(); status != http.StatusNoContent {
		t.Errorf("redelivery answered %d", status)
	}
	forged, _ := http.Post("http://"+s.gateway()+"/jira/webhook", "application/json",
		bytes.NewReader([]byte(`{"webhookEvent":"jira:issue_updated","issue":{"key":"`+ticket+`"}}`)))
	if forged.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged webhook answered %d", forged.StatusCode)
	}
	forged.Body.Close()
	if again := state(t, ctx, c, "AdminMFAV2"); len(again.Transitions) != len(st.Transitions) {
		t.Errorf("a redelivered or forged webhook changed the recommendation: %+v", again.Transitions[len(st.Transitions):])
	}

	// Every other verdict, as a specialist gives it: by moving tickets in Jira.
	move := func(key, status string) {
		t.Helper()
		if code, err := jiraSim.MoveAs(key, status, jane); err != nil || code != http.StatusNoContent {
			t.Fatalf("moving %s to %s: %d, %v", key, status, code, err)
		}
	}
	move(state(t, ctx, c, "CustomerLockBoxEnabled").TicketKey, "Third Party")
	waitStage(t, ctx, c, "CustomerLockBoxEnabled", lifecycle.StageResolvedThirdParty)
	move(ticket, "Customer Decision")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageAwaitingDecision)
	ssprTicket := state(t, ctx, c, "SelfServicePasswordReset").TicketKey
	move(ssprTicket, "Needs Change")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StageAssessment)
	move(ssprTicket, "No Impact")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StagePlanned)
	rfc := state(t, ctx, c, "SelfServicePasswordReset").RFCKey
	move(rfc, "Scheduled")
	move(rfc, "Cancelled")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StageAssessment)
	move(ssprTicket, "Needs Change") // a stale status on the ticket: refused by the stage table, acknowledged
	move(ssprTicket, "No Impact")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StagePlanned)
	secondRFC := state(t, ctx, c, "SelfServicePasswordReset").RFCKey
	if secondRFC == rfc {
		t.Fatal("a cancelled RFC was reused")
	}
	move(secondRFC, "Implemented")
	waitStage(t, ctx, c, "SelfServicePasswordReset", lifecycle.StageAwaitingDetection)
	riskTicket := state(t, ctx, c, "UserRiskPolicy").TicketKey
	move(riskTicket, "Needs Change")
	waitStage(t, ctx, c, "UserRiskPolicy", lifecycle.StageAssessment)
	move(riskTicket, "Critical Decision")
	waitStage(t, ctx, c, "UserRiskPolicy", lifecycle.StageAwaitingDecision)
	if st := state(t, ctx, c, "UserRiskPolicy"); !st.Critical {
		t.Error("a Critical Decision did not mark the recommendation critical")
	}
	// The customer is asked at once, in the tenant's channel, naming the technical lead;
	// a decision (here recorded by an operator) replaces the buttons with who decided, and how.
	waitFor(t, ctx, func() bool { return state(t, ctx, c, "UserRiskPolicy").DecisionMessage != nil })
	asked := e.slackSim.Messages("C0CONTOSO")
	if len(asked) != 1 || !strings.Contains(string(asked[0].Blocks), "scoreflow_accept_risk") || !strings.Contains(string(asked[0].Blocks), "U0TECHLEAD") {
		t.Fatalf("Slack messages = %+v", asked)
	}
	starter(t, s, "decide", "contoso", "UserRiskPolicy", "approve", "--by", "U0CUSTOMER1")
	waitStage(t, ctx, c, "UserRiskPolicy", lifecycle.StagePlanned)
	if updated := e.slackSim.Messages("C0CONTOSO")[0]; updated.Updated != 1 || !strings.Contains(updated.Text, "approved by U0CUSTOMER1, through the MSP") {
		t.Errorf("the decision message after approval: %+v", updated)
	}
	var scheduled bool
	for _, tr := range state(t, ctx, c, "SelfServicePasswordReset").Transitions {
		scheduled = scheduled || strings.Contains(tr.Reason, "scheduled by Jane Specialist")
	}
	if !scheduled {
		t.Error("the RFC's Scheduled status was not recorded")
	}

	// Webhooks off: the polling schedule finds the moved ticket and feeds the
	// same path, naming the specialist from the ticket's changelog.
	jiraSim.SetWebhook("", "")
	if _, err := jiraSim.MoveAs(state(t, ctx, c, "RoleOverlap").TicketKey, "Mitigated Elsewhere", jane); err != nil {
		t.Fatal(err)
	}
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageResolvedAlternate)
	polled := state(t, ctx, c, "RoleOverlap")
	if last := polled.Transitions[len(polled.Transitions)-1]; last.Source != lifecycle.SourceJiraPoll || last.By.Name != "Jane Specialist" {
		t.Errorf("the polled verdict is recorded as %+v", last)
	}
	recordHistory(t, ctx, c, "CustomerLockBoxEnabled", "third_party_by_jira_webhook")
	recordHistory(t, ctx, c, "SelfServicePasswordReset", "rfc_scheduled_cancelled_reopened")
	e.stop(t)
}
