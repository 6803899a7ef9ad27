package main

import (
	"strings"
	"testing"
	"time"

	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
)

// Completed controls that lose their points from one day to the next raise
// one alert: a message in the MSP's alert channel and a ticket in the
// tenant's project, naming the controls; the next sweep of the same day
// raises none.
func TestAScoreDropRaisesOneAlertADay(t *testing.T) {
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "tenants:\n", "alerts: {slack_channel: C0MSPALERTS}\ntenants:\n")
	})
	e.slackSim.AddChannel("C0MSPALERTS", slacksim.Channel{Name: "msp-alerts", BotMember: true})
	sweep(t, e.setup.configPath) // records today beside Graph's 90 days: no change
	if messages := e.slackSim.Messages("C0MSPALERTS"); len(messages) != 0 {
		t.Fatalf("a sweep with no drop raised %+v", messages)
	}
	for _, control := range []string{"OneAdmin", "exo_mailtipsenabled"} { // both complete before: regressions
		e.graphSim.SetScore(e.contoso.AzureTenantID, control, 0)
	}
	sweep(t, e.setup.configPath)
	sweep(t, e.setup.configPath)
	alertLabel := "sf-alert-contoso-" + time.Now().UTC().Format("2006-01-02")
	waitFor(t, e.ctx, func() bool { return len(e.slackSim.Messages("C0MSPALERTS")) > 0 })
	messages := e.slackSim.Messages("C0MSPALERTS")
	if len(messages) != 1 || !strings.Contains(messages[0].Text, "Designate more than one global admin (OneAdmin): 1.00 → 0.00, completed before: a regression") {
		t.Errorf("the alert channel holds %+v, want one alert naming the regression", messages)
	}
	tickets := 0
	for _, issue := range e.jiraSim.Issues() {
		for _, label := range issue.Labels {
			if label == alertLabel {
				tickets++
				if issue.Project != "CON" || !strings.Contains(issue.Description, "exo_mailtipsenabled") {
					t.Errorf("the alert's ticket: %+v", issue)
				}
			}
		}
	}
	if tickets != 1 {
		t.Errorf("%d alert tickets, want one", tickets)
	}
	e.stop(t)
}
