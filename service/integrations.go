package service

import (
	"errors"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/assessment"
	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/connect"
	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/logging"
	"github.com/scoreflow/scoreflow/messenger"
	"github.com/scoreflow/scoreflow/store"
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

// wire builds every integration from the config, one factory each, on the
// clients package connect builds. An outside
// system the config leaves out is wired as activities.NotConfigured, whose
// activities fail saying what to configure, and serves no inbound route.
func wire(cfg *config.Config, temporalClient client.Client, history *store.Deferred, logger zerolog.Logger) (integration, error) {
	rules, err := assessment.Default()
	if err != nil {
		return integration{}, err
	}
	// No store (store.disabled): the history activities record nothing.
	var writer activities.HistoryStore
	if history != nil {
		writer = history
	}
	var out integration
	secureScore, err := newSecureScore(cfg, writer, logger)
	if err != nil {
		return integration{}, err
	}
	tickets, err := newTickets(cfg, messenger.Client{Temporal: temporalClient}, logger)
	if err != nil {
		return integration{}, err
	}
	chat, err := newChat(cfg, messenger.Client{Temporal: temporalClient, ResultWait: slackResultWait}, logger)
	if err != nil {
		return integration{}, err
	}
	out.add(secureScore)
	out.add(tickets)
	out.add(chat)
	out.add(newTemporalActivities(cfg, temporalClient, rules))
	out.add(integration{activities: []any{&activities.History{Store: writer, Retention: cfg.Store.Retention.D()}}})
	return out, nil
}

// newSecureScore reads and writes each tenant's Secure Score through Graph,
// with the tenant's app registration.
func newSecureScore(cfg *config.Config, history store.Writer, logger zerolog.Logger) (integration, error) {
	secureScore, err := connect.SecureScore(cfg, history)
	if err != nil {
		return integration{}, err
	}
	for _, t := range cfg.Tenants {
		logging.Say(logger.Info().Str("tenant", t.ID).Strs("services", secureScore.Scopes[t.ID].Services()).Str("app", cfg.GraphApp(t).ClientID),
			"log.sweep.scope")
	}
	return integration{activities: []any{secureScore}}, nil
}

// newTickets is Jira: the ticket activities, the polling fallback, and the
// signed webhook when jira.webhook_secret is set.
func newTickets(cfg *config.Config, delivery messenger.Client, logger zerolog.Logger) (integration, error) {
	tickets, err := connect.Jira(cfg)
	var missing activities.NotConfigured
	if errors.As(err, &missing) {
		return integration{activities: []any{&activities.Tickets{System: missing}, &activities.TicketPoll{Poller: missing}}}, nil
	}
	if err != nil {
		return integration{}, err
	}
	j := cfg.Jira
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
func newChat(cfg *config.Config, delivery messenger.Client, logger zerolog.Logger) (integration, error) {
	chat, err := connect.Slack(cfg)
	var missing activities.NotConfigured
	if errors.As(err, &missing) {
		return integration{activities: []any{&activities.Chat{System: missing}}}, nil
	}
	if err != nil {
		return integration{}, err
	}
	approvers := map[string]map[string]bool{}
	for _, t := range cfg.Tenants {
		approvers[t.ID] = map[string]bool{}
		for _, id := range t.Approvers {
			approvers[t.ID][id] = true
		}
	}
	out := integration{activities: []any{&activities.Chat{System: chat}}}
	if cfg.Slack.SigningSecret.IsSet() {
		out.routes = map[string]http.Handler{"POST /slack/interactions": &slack.InteractionHandler{
			SigningSecret: cfg.Slack.SigningSecret.Reveal(), Approvers: approvers, Chat: chat, Decisions: delivery,
			Logger: component(logger, "slack-interactions"),
		}}
	}
	return out, nil
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
		WriteCheckAfter:       cfg.Graph.WriteCheckAfter.D(),
	}
	return integration{activities: []any{
		&activities.Sweep{Client: temporalClient, TaskQueue: cfg.Temporal.TaskQueue, TenantNames: names, Timings: timings, Rules: rules,
			RecordsHistory: !cfg.Store.Disabled, MSPLanguage: string(cfg.MSPLanguage)},
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
