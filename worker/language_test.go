package main

import (
	"strings"
	"testing"

	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// With msp_language: nl the whole MSP's side of a running worker is Dutch:
// the Jira ticket, the Web UI's schedule and activity summaries and a
// recommendation's details, the starter's output and the worker's log
// lines, which keep their English event ids. The customer's side keeps
// the tenant's language (English here).
func TestTheMSPSideSpeaksTheMSPsLanguage(t *testing.T) {
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "gateway:", "msp_language: nl\ngateway:")
	})
	s, ctx, c := e.setup, e.ctx, e.client
	out := sweep(t, s.configPath)
	expectLine(t, out, `binnen de scope:\s+\d+ controls, \d+ open`)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)

	ticket := e.jiraSim.Issues()[0]
	for _, want := range []string{"h3. Volgende stap", "Behaalde punten", "scoreflow-workflow: "} {
		if !strings.Contains(ticket.Description, want) {
			t.Errorf("the ticket %s lacks %q:\n%s", ticket.Key, want, ticket.Description)
		}
	}

	workflowID := lifecycle.RecommendationWorkflowID("contoso", "AdminMFAV2")
	value, err := c.QueryWorkflow(ctx, workflowID, "", "__temporal_workflow_metadata")
	if err != nil {
		t.Fatal(err)
	}
	var metadata sdkpb.WorkflowMetadata
	if err := value.Get(&metadata); err != nil {
		t.Fatal(err)
	}
	if details := metadata.GetCurrentDetails(); !strings.Contains(details, "**Fase:** triage sinds") {
		t.Errorf("the Web UI's details are not Dutch:\n%s", details)
	}
	var summaries []string
	for _, event := range historyEvents(t, ctx, c, workflowID, "") {
		if summary := event.GetUserMetadata().GetSummary(); summary != nil {
			var text string
			if err := converter.GetDefaultDataConverter().FromPayload(summary, &text); err != nil {
				t.Fatal(err)
			}
			summaries = append(summaries, text)
		}
	}
	if !strings.Contains(strings.Join(summaries, "\n"), "Tickets: het aanbevelingsticket openen") {
		t.Errorf("the history's summaries are not Dutch: %q", summaries)
	}
	schedule, err := c.ScheduleClient().GetHandle(ctx, lifecycle.SweepScheduleID("contoso")).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if action, _ := schedule.Schedule.Action.(*client.ScheduleWorkflowAction); action == nil ||
		action.StaticSummary != "Dagelijkse Secure Score-controle van Contoso" {
		t.Errorf("the sweep's schedule is summarised as %+v", schedule.Schedule.Action)
	}

	if said := starter(t, s, "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", "Jane"); !strings.Contains(said, "is nu in fase assessment") {
		t.Errorf("the starter's answer is not Dutch: %q", said)
	}
	logged := e.worker.output.String()
	if !strings.Contains(logged, `"event":"log.service.running"`) || !strings.Contains(logged, "scoreflow draait") {
		t.Errorf("the worker's log lacks its Dutch start line with its event id:\n%s", logged)
	}
	if !strings.Contains(logged, `"event":"log.workflow.transition"`) || !strings.Contains(logged, `"message":"overgang"`) {
		t.Errorf("the workflows' log lacks their Dutch transition lines with their event id")
	}
	e.stop(t)
}
