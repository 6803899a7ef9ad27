// Package clients builds the clients of Microsoft Graph, Jira and Slack
// from the config, for the worker (service) and the operator's checks
// (doctor) alike. Secrets go from the config into the clients here, and
// nowhere else.
package clients

import (
	"fmt"
	"os"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/mail"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// Graph returns the Graph clients of every tenant, each signing in to its
// directory with its app (its own, or the MSP's multi-tenant one), and each
// tenant's product scope.
func Graph(cfg *config.Config) (*graph.Clients, map[string]graph.Scope, error) {
	endpoints, err := graphEndpoints(cfg)
	if err != nil {
		return nil, nil, err
	}
	credentials := map[string]graph.Credentials{}
	scopes := map[string]graph.Scope{}
	certificates := map[string][]byte{} // by file: the MSP's one app serves many tenants
	for i, t := range cfg.Tenants {
		app := cfg.GraphApp(t)
		if err := app.ClientSecret.Available(); err != nil {
			return nil, nil, fmt.Errorf("the client_secret of tenants[%d]'s app: %w", i, err)
		}
		creds := graph.Credentials{AzureTenantID: t.AzureTenantID, ClientID: app.ClientID, ClientSecret: app.ClientSecret.Reveal()}
		if file := app.CertificateFile; file != "" {
			if certificates[file] == nil {
				pem, err := os.ReadFile(file)
				if err != nil {
					return nil, nil, fmt.Errorf("the certificate_file of tenants[%d]'s app: %w", i, err)
				}
				certificates[file] = pem
			}
			creds.CertificatePEM = certificates[file]
		}
		credentials[t.ID] = creds
		scopes[t.ID] = graph.NewScope(t.Products)
	}
	return graph.NewClients(endpoints, credentials), scopes, nil
}

// graphEndpoints are the Graph and Entra ID hosts of the config's cloud.
func graphEndpoints(cfg *config.Config) (graph.Endpoints, error) {
	endpoints := graph.Endpoints{BaseURL: cfg.Graph.BaseURL, AuthorityHost: cfg.Graph.AuthorityHost}
	if cfg.Graph.CAFile != "" {
		pool, err := graph.LoadRootCAs(cfg.Graph.CAFile)
		if err != nil {
			return endpoints, fmt.Errorf("graph.ca_file: %w", err)
		}
		endpoints.RootCAs = pool
	}
	return endpoints, nil
}

// MSPGraph is Graph in the MSP's own directory, signed in with the MSP's
// app: its mailbox (notify.mail_from).
func MSPGraph(cfg *config.Config) (*graph.Client, error) {
	endpoints, err := graphEndpoints(cfg)
	if err != nil {
		return nil, err
	}
	app := cfg.Graph.App
	if err := app.ClientSecret.Available(); err != nil {
		return nil, fmt.Errorf("graph.client_secret: %w", err)
	}
	creds := graph.Credentials{AzureTenantID: cfg.MailDirectory(), ClientID: app.ClientID, ClientSecret: app.ClientSecret.Reveal()}
	if app.CertificateFile != "" {
		if creds.CertificatePEM, err = os.ReadFile(app.CertificateFile); err != nil {
			return nil, fmt.Errorf("graph.certificate_file: %w", err)
		}
	}
	return graph.NewClient(creds, endpoints)
}

// Mail returns the client that tells the tenants told by e-mail, or nil
// when scoreflow sends no mail (notify.mail_from unset).
func Mail(cfg *config.Config) (*mail.Client, error) {
	if !cfg.Notify.MailOn() {
		return nil, nil
	}
	sender, err := MSPGraph(cfg)
	if err != nil {
		return nil, err
	}
	told := map[string]mail.Tenant{}
	for _, t := range cfg.Tenants {
		if cfg.Tells(t, config.ChannelEmail) {
			told[t.ID] = mail.Tenant{Name: t.Name, To: t.MailTo, TechnicalLead: t.TechnicalLeadMail, Language: t.Language}
		}
	}
	return mail.New(mail.Config{From: cfg.Notify.MailFrom, Tenants: told, DashboardURL: dashboardURL(cfg)}, sender), nil
}

// dashboardURL is where customers reach the dashboard; "" when it is off.
func dashboardURL(cfg *config.Config) string {
	if cfg.Dashboard.On() {
		return cfg.Dashboard.BaseURL()
	}
	return ""
}

// SecureScore returns the activities that read and write each tenant's
// Secure Score.
func SecureScore(cfg *config.Config) (*activities.SecureScore, error) {
	clients, scopes, err := Graph(cfg)
	if err != nil {
		return nil, err
	}
	return &activities.SecureScore{Clients: graphClients{clients}, Scopes: scopes}, nil
}

// graphClients adapts graph.Clients to the activities' interface.
type graphClients struct{ *graph.Clients }

func (g graphClients) For(tenantID string) (activities.GraphAPI, error) {
	c, err := g.Clients.For(tenantID)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Jira returns the client of the Jira site, or activities.NotConfigured as
// the error when the config gives it no credentials.
func Jira(cfg *config.Config) (*jira.Client, error) {
	j := cfg.Jira
	if !j.PersonalAccessToken.IsSet() && (j.Email == "" || !j.APIToken.IsSet()) {
		return nil, activities.NotConfigured{System: "Jira", Fix: "set jira.email and jira.api_token, or jira.personal_access_token"}
	}
	for key, secret := range map[string]config.Secret{"jira.api_token": j.APIToken, "jira.personal_access_token": j.PersonalAccessToken} {
		if err := secret.Available(); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	projects := map[string]string{}
	for _, t := range cfg.Tenants {
		projects[t.ID] = t.JiraProject
	}
	return jira.New(jira.Config{
		BaseURL: j.BaseURL, Email: j.Email, APIToken: j.APIToken.Reveal(), PersonalAccessToken: j.PersonalAccessToken.Reveal(),
		IssueType: j.IssueType, RFCIssueType: j.RFCIssueType, Statuses: j.VerdictStatuses(), DoneStatus: j.DoneStatus(),
		Projects: projects, Language: cfg.MSPLanguage,
	})
}

// Slack returns the client of the Slack workspace, or
// activities.NotConfigured as the error when the config has no bot token.
func Slack(cfg *config.Config) (*slack.Client, error) {
	if !cfg.Slack.BotToken.IsSet() {
		return nil, activities.NotConfigured{System: "Slack", Fix: "set slack.bot_token"}
	}
	if err := cfg.Slack.BotToken.Available(); err != nil {
		return nil, fmt.Errorf("slack.bot_token: %w", err)
	}
	channels, leads, languages, reports := map[string]string{}, map[string]string{}, map[string]texts.Language{}, map[string]string{}
	for _, t := range cfg.Tenants {
		if !cfg.Tells(t, config.ChannelSlack) {
			continue
		}
		channels[t.ID], leads[t.ID], languages[t.ID] = t.SlackChannel, t.TechnicalLead, t.Language
		if url := dashboardURL(cfg); url != "" {
			reports[t.ID] = url + "/tenants/" + t.ID + "/report"
		}
	}
	return slack.New(slack.Config{APIURL: cfg.Slack.APIURL, BotToken: cfg.Slack.BotToken.Reveal(),
		Channels: channels, TechnicalLeads: leads, Languages: languages, ReportURLs: reports,
		AlertChannel: cfg.Alerts.SlackChannel, MSPLanguage: cfg.MSPLanguage}), nil
}
