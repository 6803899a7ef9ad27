package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/testutil/golden"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// What a tenant's people read in Slack, in English and in Dutch, as the
// client posts it to the workspace: the critical decision, its reminder,
// escalation and outcome, the decision recorded, and the meeting digest.
// The golden files show each; the buttons' action ids and values, the
// wire contract, are the same in both.
func TestSlackSpeaksTheTenantsLanguage(t *testing.T) {
	var contracts [][]string
	for _, language := range texts.Languages {
		t.Run(string(language), func(t *testing.T) {
			workspace := sim.New("xoxb-scoreflow")
			t.Cleanup(workspace.Close)
			client := slack.New(slack.Config{APIURL: workspace.APIURL(), BotToken: "xoxb-scoreflow",
				Channels: map[string]string{"contoso": "C0CONTOSO"}, TechnicalLeads: map[string]string{"contoso": "U0TECHLEAD"},
				Languages: map[string]texts.Language{"contoso": language}, ReportURLs: map[string]string{"contoso": "https://scoreflow.msp.example/tenants/contoso/report"}})
			ctx := context.Background()
			posted, err := client.RequestDecision(ctx, critical)
			if err != nil {
				t.Fatal(err)
			}
			asked := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			for _, reply := range []lifecycle.ThreadReply{
				{ReplyID: "reminder-1", Kind: lifecycle.ReplyReminder, ControlTitle: critical.ControlTitle, Asked: asked},
				{ReplyID: "escalation", Kind: lifecycle.ReplyEscalation, ControlTitle: critical.ControlTitle, Waited: 24 * time.Hour, MentionTechnicalLead: true},
				{ReplyID: "outcome", Kind: lifecycle.ReplyOutcome, ControlTitle: critical.ControlTitle, Outcome: lifecycle.StageResolvedAlternate},
			} {
				reply.TenantID, reply.Message = "contoso", posted
				if err := client.ReplyInThread(ctx, reply); err != nil {
					t.Fatal(err)
				}
			}
			digest := lifecycle.DigestRequest{TenantID: "contoso", DigestID: "2026-11-30", Items: []lifecycle.DigestItem{
				{DecisionSubject: critical.DecisionSubject, WaitingSince: asked},
				{DecisionSubject: lifecycle.DecisionSubject{WorkflowID: "scoreflow/contoso/RoleOverlap", ControlTitle: "Use least privileged administrative roles",
					TicketKey: "CON-2", Facts: lifecycle.ControlFacts{Score: 1.5, MaxScore: 8, TenantMaxScore: 66, Category: "Identity", Service: "AzureAD"},
					PreAssessment: lifecycle.PreAssessment{UserImpact: "Moderate", FinancialImpact: true, MissingLicences: []string{"Entra ID P2"}}}, WaitingSince: asked},
			}}
			digestMessage, err := client.PostDigest(ctx, digest)
			if err != nil {
				t.Fatal(err)
			}

			shown := messages(t, workspace)
			// The decision recorded replaces the buttons of the message.
			decided := lifecycle.DecisionOutcome{TenantID: "contoso", ControlTitle: critical.ControlTitle, Message: posted,
				Decision: lifecycle.CustomerDecision{Decision: lifecycle.DecisionAcceptRisk, Reason: "legacy tooling", By: lifecycle.Person{ID: "U0CUSTOMER1"}, Source: lifecycle.SourceSlack}}
			if err := client.RecordDecision(ctx, decided); err != nil {
				t.Fatal(err)
			}
			shown = append(shown, messages(t, workspace)[0])
			// A decision on the dashboard names the person, who has no Slack
			// account to mention, and where they decided; a name is no markup.
			onDashboard := lifecycle.DecisionOutcome{TenantID: "contoso", WorkflowID: "scoreflow/contoso/RoleOverlap", ControlTitle: "Use least privileged administrative roles",
				Message: digestMessage, InDigest: true, Decision: lifecycle.CustomerDecision{Decision: lifecycle.DecisionApprove,
					By: lifecycle.Person{ID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", Name: "Jan <!channel> de Vries"}, Source: lifecycle.SourceDashboard}}
			if err := client.RecordDecision(ctx, onDashboard); err != nil {
				t.Fatal(err)
			}
			all := messages(t, workspace)
			shown = append(shown, all[len(all)-1])
			got := marshal(t, shown)
			golden.Check(t, filepath.Join("testdata", "golden", "messages."+string(language)+".json"), got)
			contracts = append(contracts, regexp.MustCompile(`"(action_id|value|block_id)": "[^"]*"`).FindAllString(string(got), -1))
		})
	}
	if len(contracts) == 2 && !slices.Equal(contracts[0], contracts[1]) {
		t.Errorf("the action ids, values and block ids differ by language:\n%v\n%v", contracts[0], contracts[1])
	}
}

// messages are the channel's messages as a person sees them: the text,
// whether in a thread, and the blocks.
func messages(t *testing.T, workspace *sim.Server) []map[string]any {
	t.Helper()
	var shown []map[string]any
	for _, m := range workspace.Messages("C0CONTOSO") {
		var blocks any
		if len(m.Blocks) > 0 {
			if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
				t.Fatal(err)
			}
		}
		shown = append(shown, map[string]any{"text": m.Text, "in_thread": m.ThreadTS != "", "blocks": blocks})
	}
	return shown
}

// marshal is indented JSON that leaves <@U…> mentions as they are.
func marshal(t *testing.T, v any) []byte {
	t.Helper()
	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(v); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
