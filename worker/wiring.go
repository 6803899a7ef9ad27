package main

import (
	"fmt"
	"net/http"
	"time"

	"os"

	"github.com/rs/zerolog"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/assessment"
	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/gateway"
	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/workflows"
)

// register puts every workflow and activity on the worker, once, under the
// names the rest of scoreflow starts them by.
func register(w sdkworker.Registry, acts []any) {
	w.RegisterWorkflowWithOptions(workflows.RecommendationWorkflow, workflow.RegisterOptions{Name: lifecycle.RecommendationWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.TenantSweep, workflow.RegisterOptions{Name: lifecycle.TenantSweepWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.JiraPoll, workflow.RegisterOptions{Name: lifecycle.JiraPollWorkflowType})
	w.RegisterWorkflowWithOptions(workflows.TenantDigest, workflow.RegisterOptions{Name: lifecycle.TenantDigestWorkflowType})
	for _, a := range acts {
		w.RegisterActivity(a)
	}
}

// services are the activities and the inbound handlers, built once from the config.
type services struct {
	activities        []any
	jiraWebhook       http.Handler // nil without jira.webhook_secret
	slackInteractions http.Handler // nil without slack.signing_secret
}

// newServices builds the activity structs with their clients from the config.
// Secrets go from the config into the clients here, and nowhere else.
func newServices(cfg *config.Config, temporalClient client.Client, logger zerolog.Logger) (services, error) {
	endpoints := graph.Endpoints{BaseURL: cfg.Graph.BaseURL, AuthorityHost: cfg.Graph.AuthorityHost}
	if cfg.Graph.CAFile != "" {
		pool, err := graph.LoadRootCAs(cfg.Graph.CAFile)
		if err != nil {
			return services{}, fmt.Errorf("graph.ca_file: %w", err)
		}
		endpoints.RootCAs = pool
	}
	credentials := map[string]graph.Credentials{}
	scopes := map[string]graph.Scope{}
	names := map[string]string{}
	for i, t := range cfg.Tenants {
		creds := graph.Credentials{AzureTenantID: t.AzureTenantID, ClientID: t.ClientID, ClientSecret: t.ClientSecret.Reveal()}
		if t.CertificateFile != "" {
			pem, err := os.ReadFile(t.CertificateFile)
			if err != nil {
				return services{}, fmt.Errorf("tenants[%d].certificate_file: %w", i, err)
			}
			creds.CertificatePEM = pem
		}
		credentials[t.ID] = creds
		scopes[t.ID] = graph.NewScope(t.Products)
		names[t.ID] = t.Name
	}
	jiraClient, err := newJiraClient(cfg)
	if err != nil {
		return services{}, err
	}
	rules, err := assessment.Default()
	if err != nil {
		return services{}, err
	}
	timings := lifecycle.Timings{
		ReminderInterval:      cfg.Lifecycle.ReminderInterval.D(),
		EscalationAfter:       cfg.Lifecycle.EscalationAfter.D(),
		DetectionWarningAfter: cfg.Lifecycle.DetectionWarningAfter.D(),
		RiskReviewAfter:       cfg.Lifecycle.RiskReviewAfter.D(),
	}
	var tickets activities.TicketSystem
	var router *jira.Router
	var out services
	if jiraClient != nil {
		tickets = jiraClient
		router = &jira.Router{Tickets: jiraClient, Messenger: gateway.Messenger{Client: temporalClient},
			Statuses: jiraStatuses(cfg.Jira.Statuses), Tenants: map[string]bool{}}
		for _, t := range cfg.Tenants {
			router.Tenants[t.ID] = true
		}
		if cfg.Jira.WebhookSecret.IsSet() {
			out.jiraWebhook = &jira.WebhookHandler{Secret: []byte(cfg.Jira.WebhookSecret.Reveal()), Router: router,
				Logger: logger.With().Str("component", "jira-webhook").Logger()}
		}
	}
	chat := newChat(cfg)
	if chat != nil && cfg.Slack.SigningSecret.IsSet() {
		approvers := map[string]map[string]bool{}
		for _, t := range cfg.Tenants {
			approvers[t.ID] = map[string]bool{}
			for _, id := range t.Approvers {
				approvers[t.ID][id] = true
			}
		}
		out.slackInteractions = &slack.InteractionHandler{
			SigningSecret: cfg.Slack.SigningSecret.Reveal(), Approvers: approvers, Chat: chat,
			Decisions: gateway.Messenger{Client: temporalClient, ResultWait: 1500 * time.Millisecond},
			Logger:    logger.With().Str("component", "slack-interactions").Logger(),
		}
	}
	out.activities = []any{
		&activities.Graph{Clients: graphClients{graph.NewClients(endpoints, credentials)}, Scopes: scopes},
		&activities.Sweep{Client: temporalClient, TaskQueue: cfg.Temporal.TaskQueue, TenantNames: names, Timings: timings, Rules: rules},
		&activities.Assessment{Rules: rules},
		&activities.Jira{Tickets: tickets},
		&activities.JiraPoll{Client: jiraClient, Router: router, Window: 2 * cfg.Jira.PollInterval.D()},
		&activities.Slack{Chat: chatOrNil(chat)},
		&activities.Digest{Client: temporalClient},
	}
	return out, nil
}

// jiraStatuses maps the configured status names to verdicts.
func jiraStatuses(s config.JiraStatus) jira.Statuses {
	return jira.Statuses{
		s.MitigatedElsewhere: lifecycle.VerdictMitigatedElsewhere, s.ThirdParty: lifecycle.VerdictThirdParty,
		s.NeedsChange: lifecycle.VerdictNeedsChange, s.NoImpact: lifecycle.VerdictNoImpact,
		s.CustomerDecision: lifecycle.VerdictCustomerDecision, s.CriticalDecision: lifecycle.VerdictCriticalDecision,
		s.Scheduled: lifecycle.VerdictRFCScheduled, s.Implemented: lifecycle.VerdictRFCImplemented, s.Cancelled: lifecycle.VerdictRFCCancelled,
	}
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

// newJiraClient is the Jira client, or nil while no credentials are configured.
func newJiraClient(cfg *config.Config) (*jira.Client, error) {
	j := cfg.Jira
	if !j.PersonalAccessToken.IsSet() && (j.Email == "" || !j.APIToken.IsSet()) {
		return nil, nil
	}
	projects := map[string]string{}
	for _, t := range cfg.Tenants {
		projects[t.ID] = t.JiraProject
	}
	client, err := jira.New(jira.Config{
		BaseURL: j.BaseURL, Email: j.Email, APIToken: j.APIToken.Reveal(), PersonalAccessToken: j.PersonalAccessToken.Reveal(),
		IssueType: j.IssueType, RFCIssueType: j.RFCIssueType, DoneStatus: j.Statuses.Done, Projects: projects,
	})
	if err != nil {
		return nil, err
	}
	return client, nil
}

// chatOrNil keeps a nil client a nil interface, so the activity reports "not configured".
func chatOrNil(c *slack.Client) activities.Chat {
	if c == nil {
		return nil
	}
	return c
}

// newChat is the Slack client, or nil while no bot token is configured: then
// critical decisions wait in their stage, their activity saying why.
func newChat(cfg *config.Config) *slack.Client {
	if !cfg.Slack.BotToken.IsSet() {
		return nil
	}
	channels, leads := map[string]string{}, map[string]string{}
	for _, t := range cfg.Tenants {
		channels[t.ID], leads[t.ID] = t.SlackChannel, t.TechnicalLead
	}
	return slack.New(slack.Config{APIURL: cfg.Slack.APIURL, BotToken: cfg.Slack.BotToken.Reveal(), Channels: channels, TechnicalLeads: leads})
}
