package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func newSlack(t testing.TB, token string) (*sim.Server, *slack.Client) {
	t.Helper()
	workspace := sim.New("xoxb-scoreflow")
	t.Cleanup(workspace.Close)
	return workspace, slack.New(slack.Config{APIURL: workspace.APIURL(), BotToken: token,
		Channels: map[string]string{"contoso": "C0CONTOSO"}, TechnicalLeads: map[string]string{"contoso": "U0TECHLEAD"}})
}

var critical = lifecycle.DecisionRequest{TenantID: "contoso", Critical: true, DecisionSubject: lifecycle.DecisionSubject{
	WorkflowID: "scoreflow/contoso/AdminMFAV2", ControlTitle: "Require MFA for administrative roles",
	TicketKey: "CON-1", Advice: "Do it this week",
	Facts:         lifecycle.ControlFacts{MaxScore: 10, TenantMaxScore: 66, Category: "Identity", Service: "AzureAD"},
	PreAssessment: lifecycle.PreAssessment{UserImpact: "low"},
	Fleet: &lifecycle.FleetRecord{Implemented: 4, Alternative: 1, RiskAccepted: 3,
		Reasons: []lifecycle.GroupedReason{{Text: "Legacy <kiosks> cannot enrol", Tenants: 3}}},
}}

func TestCriticalDecisionMessageIsPostedOnceWithButtonsAndTheTechnicalLead(t *testing.T) {
	workspace, client := newSlack(t, "xoxb-scoreflow")
	ctx := context.Background()
	posted, err := client.RequestDecision(ctx, critical)
	if err != nil {
		t.Fatal(err)
	}
	again, err := client.RequestDecision(ctx, critical) // the activity retried after a crash
	if err != nil || again != posted || workspace.Posts() != 1 {
		t.Fatalf("retry: %+v (%v), first %+v, posts %d", again, err, posted, workspace.Posts())
	}
	// Slack mentions are <@U…>, which JSON escapes.
	blocks := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(workspace.Messages("C0CONTOSO")[0].Blocks))
	for _, want := range []string{`"action_id":"scoreflow_approve"`, `"action_id":"scoreflow_accept_risk"`, `"action_id":"scoreflow_alternative"`,
		`"value":"scoreflow/contoso/AdminMFAV2"`, "<@U0TECHLEAD>", "+15.15%", "Do it this week", "Critical"} {
		if !strings.Contains(blocks, want) {
			t.Errorf("the message lacks %s:\n%s", want, blocks)
		}
	}

	reply := lifecycle.ThreadReply{TenantID: "contoso", Message: posted, ReplyID: "escalation", Kind: lifecycle.ReplyEscalation,
		ControlTitle: "Require MFA for administrative roles", Waited: 72 * time.Hour, MentionTechnicalLead: true}
	for range 2 {
		if err := client.ReplyInThread(ctx, reply); err != nil {
			t.Fatal(err)
		}
	}
	messages := workspace.Messages("C0CONTOSO")
	if len(messages) != 2 || messages[1].ThreadTS != posted.TS || !strings.HasPrefix(messages[1].Text, "<@U0TECHLEAD> ") {
		t.Fatalf("thread = %+v", messages)
	}

	outcome := lifecycle.DecisionOutcome{TenantID: "contoso", ControlTitle: critical.ControlTitle, Message: posted,
		Decision: lifecycle.CustomerDecision{Decision: lifecycle.DecisionAcceptRisk, Reason: "legacy tooling", By: lifecycle.Person{ID: "U0CUSTOMER1"}, Source: lifecycle.SourceSlack}}
	if err := client.RecordDecision(ctx, outcome); err != nil {
		t.Fatal(err)
	}
	updated := workspace.Messages("C0CONTOSO")[0]
	if updated.Updated != 1 || strings.Contains(string(updated.Blocks), "scoreflow_approve") || !strings.Contains(updated.Text, "risk accepted by <@U0CUSTOMER1>: legacy tooling") {
		t.Errorf("after the decision: %+v", updated)
	}
}

func TestAWrongBotTokenIsRefused(t *testing.T) {
	workspace, client := newSlack(t, "xoxb-wrong")
	if _, err := client.RequestDecision(context.Background(), critical); err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Errorf("a wrong token: %v", err)
	}
	if workspace.Posts() != 0 {
		t.Error("a message was posted with a wrong token")
	}
}
