package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
)

// demo is the built-in demo: the Contoso tenant of the seed webinar on an
// embedded Temporal server with its Web UI, against a simulated Microsoft
// Graph that speaks the real protocol (HTTPS, tokens, paging).
type demoEnvironment struct {
	config  *config.Config
	contoso *sim.Tenant
	control *demoControl
	graph   *sim.Server
	jira    *jirasim.Server
	slack   *slacksim.Server
}

const (
	demoJiraEmail = "specialist@msp.example"
	demoJiraToken = "demo-jira-api-token"
	demoSlackBot  = "xoxb-demo-bot-token"
	// The demo's webhook and signing secrets, shared by the simulators and the gateway.
	demoJiraWebhookSecret = "demo-jira-webhook-secret"
	demoSlackSigning      = "demo-slack-signing-secret"
	demoGateway           = "127.0.0.1:8080"
)

func startDemo(dataDir string) (*demoEnvironment, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	contoso := sim.Contoso()
	graphSim := sim.New(contoso)
	jiraSim := jirasim.New(demoJiraEmail, demoJiraToken)
	slackSim := slacksim.New(demoSlackBot)
	closeAll := func() { graphSim.Close(); jiraSim.Close(); slackSim.Close() }
	caFile, err := graphSim.WriteCA(dataDir)
	if err != nil {
		closeAll()
		return nil, err
	}
	yaml := fmt.Sprintf(`
temporal:
  embedded: {db_file: %s, port: 7233, ui_port: 8233}
graph:
  base_url: %s
  authority_host: %s
  ca_file: %s
jira:
  base_url: %s
  email: %s
  api_token: ${DEMO_JIRA_API_TOKEN}
  webhook_secret: ${DEMO_JIRA_WEBHOOK_SECRET}
slack:
  api_url: %s
  bot_token: ${DEMO_SLACK_BOT_TOKEN}
  signing_secret: ${DEMO_SLACK_SIGNING_SECRET}
gateway:
  listen: `+demoGateway+`
tenants:
  - id: contoso
    name: Contoso
    azure_tenant_id: %s
    client_id: %s
    client_secret: ${DEMO_GRAPH_CLIENT_SECRET}
    products: [AzureAD, Exchange, SharePoint, Teams, DefenderForOffice]
    jira_project: CON
    slack_channel: C0CONTOSO
    approvers: [U0CUSTOMER1]
    technical_lead: U0TECHLEAD
`, filepath.Join(dataDir, "temporal.db"), graphSim.GraphURL(), graphSim.AuthorityURL(), caFile,
		jiraSim.URL(), demoJiraEmail, slackSim.APIURL(), contoso.AzureTenantID, contoso.ClientID)
	// The simulators' own secrets, handed over in-process as the environment would.
	secrets := map[string]string{"DEMO_GRAPH_CLIENT_SECRET": contoso.ClientSecret, "DEMO_JIRA_API_TOKEN": demoJiraToken,
		"DEMO_SLACK_BOT_TOKEN": demoSlackBot, "DEMO_JIRA_WEBHOOK_SECRET": demoJiraWebhookSecret,
		"DEMO_SLACK_SIGNING_SECRET": demoSlackSigning}
	cfg, err := config.Parse([]byte(yaml), func(name string) (string, bool) {
		v, ok := secrets[name]
		return v, ok
	})
	if err != nil {
		closeAll()
		return nil, err
	}
	jiraSim.SetWebhook("http://"+demoGateway+"/jira/webhook", demoJiraWebhookSecret)
	d := &demoEnvironment{config: cfg, contoso: contoso, graph: graphSim, jira: jiraSim, slack: slackSim}
	d.control = &demoControl{demo: d, clicks: slackSim.Interactions("http://"+demoGateway+"/slack/interactions", demoSlackSigning)}
	if err := d.control.start(); err != nil {
		closeAll()
		return nil, err
	}
	return d, nil
}

func (d *demoEnvironment) Close() {
	d.control.stop()
	d.graph.Close()
	d.jira.Close()
	d.slack.Close()
}

// demoBanner says where to look and what to try next.
func demoBanner(info ready) string {
	return fmt.Sprintf(`
scoreflow demo is running.
  Temporal Web UI   %s   (filter: TenantId = "contoso")
  gateway           http://%s/healthz
Play the specialist and the customer (in another terminal):
  go run ./starter demo move AdminMFAV2 "Needs Change"
  go run ./starter demo move AdminMFAV2 "Critical Decision"
  go run ./starter demo click AdminMFAV2 accept_risk --reason "legacy admin tooling"
  go run ./starter demo move RoleOverlap "Needs Change"
  go run ./starter demo move RoleOverlap "No Impact"
  go run ./starter demo move RoleOverlap "Implemented"
  go run ./starter demo detect RoleOverlap
Stop with Ctrl-C; the workflows stay in data/demo for the next run.
`, info.UIAddress, info.GatewayAddress)
}
