// Package demo is scoreflow's built-in demo: the Contoso tenant of the seed
// webinar, on simulated Microsoft Graph, Jira and Slack that speak the real
// protocols, with a control endpoint through which `starter demo` plays the
// specialist, the customer and Microsoft's detection.
package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rs/zerolog"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// Environment is a running demo: the simulators, the config that points the
// worker at them, and the control endpoint.
type Environment struct {
	// Config is the demo's config; ConfigFile is where it is written,
	// without secrets, for the starter.
	Config     *config.Config
	ConfigFile string
	tenants    []*tenant
	graph      *sim.Server
	jira       *jirasim.Server
	slack      *slacksim.Server
	entra      *entrasim.Server
	control    *control
	// dataDir keeps the simulators' state between runs (persist.go).
	dataDir    string
	stopSaving chan struct{}
	savingDone chan struct{}
}

// The simulators' credentials. They are no one's secrets, but the worker
// reads them as it reads real ones: from the environment the demo gives it.
const (
	jiraEmail         = "specialist@msp.example"
	jiraToken         = "demo-jira-api-token"
	slackBotToken     = "xoxb-demo-bot-token"
	jiraWebhookSecret = "demo-jira-webhook-secret"
	slackSigning      = "demo-slack-signing-secret"
	// GatewayAddress is where the demo's gateway listens; the simulators send webhooks there.
	GatewayAddress = "127.0.0.1:8080"
	// DashboardAddress is where the demo's dashboard listens.
	DashboardAddress  = "127.0.0.1:8090"
	dashboardClientID = "scoreflow-dashboard-demo"
	dashboardSecret   = "demo-dashboard-client-secret"
	// The Temporal Web UI's app registration in the MSP's directory.
	uiClientID = "scoreflow-temporal-ui-demo"
	uiSecret   = "demo-temporal-ui-client-secret"
	uiCallback = "http://127.0.0.1:8233/auth/sso/callback"
	// mspDirectory is the demo MSP's own Entra ID directory.
	mspDirectory = "d0d0d0d0-0000-4000-8000-00000000a5a5"
	// mspStaffGroup is the demo MSP's security group of its staff.
	mspStaffGroup = "5f5f5f5f-0000-4000-8000-00000000a5a5"
	// technicalLeadMail is told of an escalation by e-mail.
	technicalLeadMail = "tina.techlead@msp.example"
)

// The people who can sign in to the demo's dashboard.
var (
	chrisCustomer = entrasim.User{ObjectID: "c4715c05-0000-4000-8000-000000000001", Name: "Chris Customer", Username: "chris@contoso.example"}
	samSpecialist = entrasim.User{TenantID: mspDirectory, ObjectID: "5a3e5a3e-0000-4000-8000-000000000002", Name: "Sam Specialist",
		Username: "sam@msp.example", Groups: []string{mspStaffGroup}}
	daanDeKlant   = entrasim.User{ObjectID: "daa0daa0-0000-4000-8000-000000000003", Name: "Daan de Klant", Username: "daan@vandijkbouw.example"}
	fionaFabrikam = entrasim.User{ObjectID: "f10af10a-0000-4000-8000-000000000004", Name: "Fiona Fabrikam", Username: "fiona@fabrikam.example"}
	ninaNorthwind = entrasim.User{ObjectID: "a1aaa1aa-0000-4000-8000-000000000005", Name: "Nina Northwind", Username: "nina@northwind.example"}
)

// configTemplate is the demo's scoreflow.yaml up to its tenants, which
// tenantTemplate adds; %s and %d are the data dir's files and the
// simulators' addresses.
const configTemplate = `# The scoreflow demo's config, written by "go run ./worker --demo".
# Its secrets are the simulators' and come from the demo's process; the
# starter needs none of them: go run ./starter --config %s list
msp_language: %s
temporal:
  embedded: {db_file: %s, port: 7233, ui_port: 8233}
  ui:
    client_id: %s
    client_secret: ${DEMO_UI_CLIENT_SECRET}
%sgraph:
  base_url: %s
  authority_host: %s
  ca_file: %s
  client_id: %s
  client_secret: ${DEMO_MSP_GRAPH_CLIENT_SECRET}
notify:
  mail_from: %s
  outside_mailbox: %s
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
  listen: %s
dashboard:
  listen: %s
  authority: %s
  ca_file: %s
  client_id: %s
  client_secret: ${DEMO_DASHBOARD_CLIENT_SECRET}
  msp_tenant_id: %s
  msp_group: %s
tenants:
`

// Start starts the simulators, writes the demo's config into dataDir, with
// the MSP's language mspLanguage and, with encrypt, payload encryption
// (its key in dataDir), seeds the year of history before Graph's 90 days,
// and opens the control endpoint.
func Start(dataDir, mspLanguage string, encrypt bool) (*Environment, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	e := &Environment{tenants: demoTenants(), ConfigFile: filepath.Join(dataDir, "scoreflow.yaml"), dataDir: dataDir}
	var graphs []*sim.Tenant
	users := []entrasim.User{}
	e.jira = jirasim.New(jiraEmail, jiraToken)
	e.slack = slacksim.New(slackBotToken)
	e.slack.AddUser("U0TECHLEAD", "tina.techlead")
	for _, t := range e.tenants {
		graphs = append(graphs, t.graph)
		e.jira.AddProject(t.jiraProject, t.jiraName)
		if t.channel != "" {
			e.slack.AddChannel(t.channel, slacksim.Channel{Name: t.channelName, BotMember: true})
			e.slack.AddUser(t.approver.ID, t.approver.Name)
		}
		users = append(users, t.viewer)
	}
	e.graph = sim.New(append(graphs, mspGraph())...)
	// The login page offers Chris Customer, Sam Specialist, then the other tenants' people.
	users = slices.Insert(users, 1, samSpecialist)
	e.entra = entrasim.New(entrasim.Client{ID: dashboardClientID, Secret: dashboardSecret,
		RedirectURIs: []string{"http://" + DashboardAddress + "/signin/callback"}}, users...)
	e.entra.AddClient(entrasim.Client{ID: uiClientID, Secret: uiSecret, RedirectURIs: []string{uiCallback}})
	if err := e.loadSimulators(dataDir); err != nil {
		e.closeSimulators()
		return nil, err
	}
	trustInDefaultClient(e.entra.Certificate())
	cfg, err := e.writeConfig(dataDir, mspLanguage, encrypt)
	if err != nil {
		e.closeSimulators()
		return nil, err
	}
	e.Config = cfg
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.seedHistory(ctx); err != nil {
		e.closeSimulators()
		return nil, err
	}
	e.jira.SetWebhook("http://"+GatewayAddress+"/jira/webhook", jiraWebhookSecret)
	e.control = &control{demo: e, clicks: e.slack.Interactions("http://"+GatewayAddress+"/slack/interactions", slackSigning)}
	if err := e.control.start(); err != nil {
		e.closeSimulators()
		return nil, err
	}
	e.stopSaving, e.savingDone = make(chan struct{}), make(chan struct{})
	go e.keepSaving(e.stopSaving, e.savingDone)
	return e, nil
}

// writeConfig writes the config file and reads it back with the
// simulators' credentials as its environment.
func (e *Environment) writeConfig(dataDir, mspLanguage string, encrypt bool) (*config.Config, error) {
	caFile, err := e.graph.WriteCA(dataDir)
	if err != nil {
		return nil, err
	}
	entraCA, err := e.entra.WriteCA(dataDir)
	if err != nil {
		return nil, err
	}
	encryption := ""
	if encrypt {
		keysFile, err := payloadKeys(dataDir)
		if err != nil {
			return nil, err
		}
		encryption = "  encryption: {keys_file: " + keysFile + "}\n"
	}
	yaml := fmt.Sprintf(configTemplate, e.ConfigFile, mspLanguage, filepath.Join(dataDir, "temporal.db"), uiClientID, encryption,
		e.graph.GraphURL(), e.graph.AuthorityURL(),
		caFile, mspGraph().ClientID, sim.MSPMailbox, sim.MSPOtherMailbox, e.jira.URL(), jiraEmail, e.slack.APIURL(), GatewayAddress, DashboardAddress, e.entra.Authority(), entraCA,
		dashboardClientID, mspDirectory, mspStaffGroup)
	for _, t := range e.tenants {
		yaml += t.entry()
	}
	if err := os.WriteFile(e.ConfigFile, []byte(yaml), 0o600); err != nil {
		return nil, err
	}
	secrets := Secrets()
	return config.Parse([]byte(yaml), func(name string) (string, bool) {
		v, ok := secrets[name]
		return v, ok
	})
}

// Secrets are the environment the demo's config reads its credentials
// from: the simulators', which are no one's secrets, so `starter demo env`
// prints them for commands that call the simulators (tenant check).
func Secrets() map[string]string {
	return map[string]string{"DEMO_GRAPH_CLIENT_SECRET": sim.Contoso().ClientSecret, "DEMO_VANDIJK_GRAPH_CLIENT_SECRET": sim.VanDijk().ClientSecret,
		"DEMO_MSP_GRAPH_CLIENT_SECRET": mspGraph().ClientSecret, "DEMO_FABRIKAM_GRAPH_CLIENT_SECRET": sim.Fabrikam().ClientSecret,
		"DEMO_NORTHWIND_GRAPH_CLIENT_SECRET": sim.Northwind().ClientSecret,
		"DEMO_JIRA_API_TOKEN":                jiraToken,
		"DEMO_SLACK_BOT_TOKEN":               slackBotToken, "DEMO_JIRA_WEBHOOK_SECRET": jiraWebhookSecret,
		"DEMO_SLACK_SIGNING_SECRET": slackSigning, "DEMO_DASHBOARD_CLIENT_SECRET": dashboardSecret, "DEMO_UI_CLIENT_SECRET": uiSecret}
}

// mspGraph is the demo MSP's own directory in Graph, with the mailbox it
// mails customers from.
func mspGraph() *sim.Tenant {
	msp := sim.MSP()
	msp.AzureTenantID = mspDirectory
	return msp
}

// Close stops the control endpoint and the simulators.
func (e *Environment) Close() {
	e.control.stop()
	close(e.stopSaving)
	<-e.savingDone
	e.closeSimulators()
}

func (e *Environment) closeSimulators() {
	e.graph.Close()
	e.jira.Close()
	e.slack.Close()
	e.entra.Close()
}

// LogSimulators says where the simulators answer.
func (e *Environment) LogSimulators(logger zerolog.Logger) {
	logging.Write(logger.Info().Str("graph", e.graph.URL()).Str("jira", e.jira.URL()).Str("slack", e.slack.APIURL()).Str("entra", e.entra.URL()).
		Str("config", e.ConfigFile), "log.demo.simulators")
}

// Banner says where to look and what to try next.
func (e *Environment) Banner(uiAddress, gatewayAddress, dashboardAddress string) string {
	return fmt.Sprintf(`
scoreflow demo is running.
  Dashboard         http://%s   (sign in as Chris Customer of Contoso, Daan de Klant of Van Dijk Bouw,
                    whose people read Dutch, or Sam Specialist of the MSP, who also sees the fleet
                    of four customers at /controls; the simulated Microsoft sign-in page has a
                    self-signed certificate your browser warns about)
  Temporal Web UI   %s   (sign in as Sam Specialist; filter: TenantId = "contoso")
  gateway           http://%s/healthz
  config            %s   (no secrets; the starter reads it)
Play the specialist and the customer (in another terminal):
  go run ./starter demo move AdminMFAV2 "Needs Change"
  go run ./starter demo move AdminMFAV2 "Critical Decision"
  go run ./starter demo click AdminMFAV2 accept_risk --reason "legacy admin tooling"
  go run ./starter demo move RoleOverlap "Needs Change"
  go run ./starter demo move RoleOverlap "No Impact"
  go run ./starter demo move RoleOverlap "Implemented"
  go run ./starter demo detect RoleOverlap
Van Dijk Bouw reads Dutch and has no Slack: it is told by e-mail and decides on the dashboard.
  go run ./starter demo move --tenant vandijk AdminMFAV2 "Needs Change"
  go run ./starter demo move --tenant vandijk AdminMFAV2 "Critical Decision"
  go run ./starter demo mail          (the mail Van Dijk Bouw received)
  then sign in to the dashboard as Daan de Klant and decide on its page.
See what scoreflow did:
  go run ./starter --config %s list --tenant contoso
  go run ./starter --config %s audit --tenant contoso --since 1d
  go run ./starter --config %s history --tenant contoso --since 365d
  go run ./starter --config %s changes --tenant contoso --since 90d
Check the demo tenant's access as for a real one (with the simulators' credentials):
  eval "$(go run ./starter demo env)" && go run ./starter --config %s tenant check --all
Stop with Ctrl-C; the workflows stay in %s for the next run.
`, dashboardAddress, uiAddress, gatewayAddress, e.ConfigFile, e.ConfigFile, e.ConfigFile, e.ConfigFile, e.ConfigFile, e.ConfigFile, filepath.Dir(e.ConfigFile))
}
