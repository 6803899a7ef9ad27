package slack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// The digest links to the meeting report when the dashboard serves one,
// with or without decisions; with neither it posts nothing.
func TestTheDigestLinksTheMeetingReport(t *testing.T) {
	workspace := sim.New("xoxb-scoreflow")
	t.Cleanup(workspace.Close)
	report := "https://scoreflow.msp.example/tenants/contoso/report"
	withDashboard := slack.New(slack.Config{APIURL: workspace.APIURL(), BotToken: "xoxb-scoreflow",
		Channels: map[string]string{"contoso": "C0CONTOSO"}, ReportURLs: map[string]string{"contoso": report}})
	without := slack.New(slack.Config{APIURL: workspace.APIURL(), BotToken: "xoxb-scoreflow", Channels: map[string]string{"contoso": "C0CONTOSO"}})
	ctx := context.Background()
	if ref, err := without.PostDigest(ctx, lifecycle.DigestRequest{TenantID: "contoso", DigestID: "d1"}); err != nil || ref.TS != "" {
		t.Errorf("an empty digest without a dashboard posted %+v (%v)", ref, err)
	}
	if _, err := withDashboard.PostDigest(ctx, lifecycle.DigestRequest{TenantID: "contoso", DigestID: "d2"}); err != nil {
		t.Fatal(err)
	}
	messages := workspace.Messages("C0CONTOSO")
	if len(messages) != 1 || !strings.Contains(string(messages[0].Blocks), report) {
		t.Errorf("the channel holds %d messages; the digest's blocks: %s", len(messages), messages[0].Blocks)
	}
}
