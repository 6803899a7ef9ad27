package service

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/assessment"
	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/messenger"
)

// integration is what one outside system adds to the process: the activity
// structs the worker registers, and the gateway's inbound routes.
type integration struct {
	activities []any
	routes     map[string]http.Handler
}

func (i *integration) add(other integration) {
	i.activities = append(i.activities, other.activities...)
	for pattern, handler := range other.routes {
		if i.routes == nil {
			i.routes = map[string]http.Handler{}
		}
		i.routes[pattern] = handler
	}
}

// wire builds every integration from the config, one factory each. Secrets
// go from the config into the clients here, and nowhere else. An outside
// system the config leaves out is wired as activities.NotConfigured, whose
// activities fail saying what to configure, and serves no inbound route.
func wire(cfg *config.Config, temporalClient client.Client, logger zerolog.Logger) (integration, error) {
	rules, err := assessment.Default()
	if err != nil {
		return integration{}, err
	}
	var out integration
	secureScore, err := newSecureScore(cfg)
	if err != nil {
		return integration{}, err
	}
	tickets, err := newTickets(cfg, messenger.Client{Temporal: temporalClient}, logger)
	if err != nil {
		return integration{}, err
	}
	out.add(secureScore)
	out.add(tickets)
	out.add(newChat(cfg, messenger.Client{Temporal: temporalClient, ResultWait: slackResultWait}, logger))
	out.add(newTemporalActivities(cfg, temporalClient, rules))
	return out, nil
}

// newSecureScore reads and writes each tenant's Secure Score through Graph,
// with the tenant's app registration.
func newSecureScore(cfg *config.Config) (integration, error) {
	endpoints := graph.Endpoints{BaseURL: cfg.Graph.BaseURL, AuthorityHost: cfg.Graph.AuthorityHost}
	if cfg.Graph.CAFile != "" {
		pool, err := graph.LoadRootCAs(cfg.Graph.CAFile)
		if err != nil {
			return integration{}, fmt.Errorf("graph.ca_file: %w", err)
		}
		endpoints.RootCAs = pool
	}
	credentials := map[string]graph.Credentials{}
	scopes := map[string]graph.Scope{}
	for i, t := range cfg.Tenants {
		creds := graph.Credentials{AzureTenantID: t.AzureTenantID, ClientID: t.ClientID, ClientSecret: t.ClientSecret.Reveal()}
		if t.CertificateFile != "" {
			pem, err := os.ReadFile(t.CertificateFile)
			if err != nil {
				return integration{}, fmt.Errorf("tenants[%d].certificate_file: %w", i, err)
			}
			creds.CertificatePEM = pem
		}
		credentials[t.ID] = creds
		scopes[t.ID] = graph.NewScope(t.Products)
	}
	clients := graphClients{graph.NewClients(endpoints, credentials)}
	return integration{activities: []any{&activities.SecureScore{Clients: clients, Scopes: scopes}}}, nil
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

// newTickets is Jira: the ticket activities, the polling fallback, and the
// signed webhook when jira.webhook_secret is set.
func newTickets(cfg *config.Config, delivery messenger.Client, logger zerolog.Logger) (integration, error) {
	j := cfg.Jira
	if !j.PersonalAccessToken.IsSet() && (j.Email == "" || !j.APIToken.IsSet()) {
		missing := activities.NotConfigured{System: "Jira", Fix: "set jira.email and jira.api_token, or jira.personal_access_token"}
		return integration{activities: []any{&activities.Tickets{System: missing}, &activities.TicketPoll{Poller: missing}}}, nil
	}
	projects := map[string]string{}
	for _, t := range cfg.Tenants {
		projects[t.ID] = t.JiraProject
	}
	tickets, err := jira.New(jira.Config{
		BaseURL: j.BaseURL, Email: j.Email, APIToken: j.APIToken.Reveal(), PersonalAccessToken: j.PersonalAccessToken.Reveal(),
		IssueType: j.IssueType, RFCIssueType: j.RFCIssueType, Statuses: j.VerdictStatuses(), DoneStatus: j.DoneStatus(),
		Projects: projects,
	})
	if err != nil {
		return integration{}, err
	}
	router := &jira.Router{Tickets: tickets, Messenger: delivery, Statuses: jira.NewStatuses(j.VerdictStatuses()), Tenants: tenantIDs(cfg)}
	out := integration{activities: []any{
		&activities.Tickets{System: tickets},
		&activities.TicketPoll{Poller: jira.Poller{Client: tickets, Router: router, Window: 2 * j.PollInterval.D()}},
	}}
	if j.WebhookSecret.IsSet() {
		out.routes = map[string]http.Handler{"POST /jira/webhook": &jira.WebhookHandler{
			Secret: []byte(j.WebhookSecret.Reveal()), Router: router, Logger: component(logger, "jira-webhook"),
		}}
	}
	return out, nil
}

// slackResultWait is how long a Slack interaction waits for its decision to
// be carried out before answering: Slack wants an answer within 3 seconds.
const slackResultWait = 1500 * time.Millisecond

// newChat is Slack: the customer-facing activities, and the signed
// interactions (buttons and the reason modal) when slack.signing_secret is set.
func newChat(cfg *config.Config, delivery messenger.Client, logger zerolog.Logger) integration {
	if !cfg.Slack.BotToken.IsSet() {
		missing := activities.NotConfigured{System: "Slack", Fix: "set slack.bot_token"}
		return integration{activities: []any{&activities.Chat{System: missing}}}
	}
	channels, leads, approvers := map[string]string{}, map[string]string{}, map[string]map[string]bool{}
	for _, t := range cfg.Tenants {
		channels[t.ID], leads[t.ID] = t.SlackChannel, t.TechnicalLead
		approvers[t.ID] = map[string]bool{}
		for _, id := range t.Approvers {
			approvers[t.ID][id] = true
		}
	}
	chat := slack.New(slack.Config{APIURL: cfg.Slack.APIURL, BotToken: cfg.Slack.BotToken.Reveal(), Channels: channels, TechnicalLeads: leads})
	out := integration{activities: []any{&activities.Chat{System: chat}}}
	if cfg.Slack.SigningSecret.IsSet() {
		out.routes = map[string]http.Handler{"POST /slack/interactions": &slack.InteractionHandler{
			SigningSecret: cfg.Slack.SigningSecret.Reveal(), Approvers: approvers, Chat: chat, Decisions: delivery,
			Logger: component(logger, "slack-interactions"),
		}}
	}
	return out
}

// newTemporalActivities are the activities that work on Temporal itself:
// the sweep's delivery to the recommendations and the digest's gathering.
func newTemporalActivities(cfg *config.Config, temporalClient client.Client, rules assessment.Rules) integration {
	names := map[string]string{}
	for _, t := range cfg.Tenants {
		names[t.ID] = t.Name
	}
	timings := lifecycle.Timings{
		ReminderInterval:      cfg.Lifecycle.ReminderInterval.D(),
		EscalationAfter:       cfg.Lifecycle.EscalationAfter.D(),
		DetectionWarningAfter: cfg.Lifecycle.DetectionWarningAfter.D(),
		RiskReviewAfter:       cfg.Lifecycle.RiskReviewAfter.D(),
	}
	return integration{activities: []any{
		&activities.Sweep{Client: temporalClient, TaskQueue: cfg.Temporal.TaskQueue, TenantNames: names, Timings: timings, Rules: rules},
		&activities.Digest{Client: temporalClient},
	}}
}

func tenantIDs(cfg *config.Config) map[string]bool {
	ids := map[string]bool{}
	for _, t := range cfg.Tenants {
		ids[t.ID] = true
	}
	return ids
}
