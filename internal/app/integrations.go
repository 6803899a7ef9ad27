package app

import (
	"errors"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/replay"
	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/internal/assessment"
	"github.com/scoreflow/scoreflow/internal/clients"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/fleet"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/store"
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
// clients internal/clients builds. An outside
// system the config leaves out is wired as activities.NotConfigured, whose
// activities fail saying what to configure, and serves no inbound route.
func wire(cfg *config.Config, temporalClient client.Client, history *store.DB, logger zerolog.Logger) (integration, error) {
	rules, err := assessment.Default()
	if err != nil {
		return integration{}, err
	}
	var out integration
	secureScore, err := newSecureScore(cfg, logger)
	if err != nil {
		return integration{}, err
	}
	// What the other customers did: read afresh for each decision asked (a
	// few a day), and kept for a minute for the tickets of an onboarding,
	// which opens thousands at once.
	var asked, ticketed activities.FleetRecords
	if history != nil {
		asked, ticketed = &fleet.Records{Store: history}, fleet.NewRecords(history)
	}
	// One record of handled requests for both webhooks, purged by one of them.
	replays := sharedReplays(history)
	tickets, err := newTickets(cfg, delivery.Client{Temporal: temporalClient}, ticketed, replays, logger)
	if err != nil {
		return integration{}, err
	}
	chat, err := newChat(cfg, delivery.Client{Temporal: temporalClient, ResultWait: slackResultWait}, history, asked, replays, logger)
	if err != nil {
		return integration{}, err
	}
	mailer, err := clients.Mail(cfg)
	if err != nil {
		return integration{}, err
	}
	mail := &activities.Mail{Fleet: asked}
	if mailer != nil {
		mail.Mailer = mailer
	}
	out.add(integration{activities: []any{secureScore, mail}})
	out.add(tickets)
	out.add(chat)
	out.add(newTemporalActivities(cfg, temporalClient, rules))
	out.add(integration{activities: []any{&activities.Bulk{Verdicts: delivery.Client{Temporal: temporalClient, ResultWait: bulkResultWait}}}})
	out.add(newHistory(cfg, history, secureScore))
	alerts, err := newAlerts(cfg, history)
	if err != nil {
		return integration{}, err
	}
	out.add(alerts)
	return out, nil
}

// newAlerts raises score-drop alerts from the store's days, in the MSP's
// Slack channel and the tenants' Jira projects, each where configured.
func newAlerts(cfg *config.Config, history *store.DB) (integration, error) {
	alerts := &activities.Alerts{Threshold: cfg.Alerts.ScoreDrop, Names: map[string]string{}}
	for _, t := range cfg.Tenants {
		alerts.Names[t.ID] = t.Name
	}
	if history != nil {
		alerts.Store = history
	}
	var missing activities.NotConfigured
	chat, err := clients.Slack(cfg)
	switch {
	case err == nil && cfg.Alerts.SlackChannel != "":
		alerts.Chat = chat
	case err != nil && !errors.As(err, &missing):
		return integration{}, err
	}
	tickets, err := clients.Jira(cfg)
	switch {
	case err == nil:
		alerts.Tickets = tickets
	case !errors.As(err, &missing):
		return integration{}, err
	}
	return integration{activities: []any{alerts}}, nil
}

// newHistory writes scoreflow's own store: the sweep's days (and a tenant's
// 90 days from Graph on its first sweep), the workflows' steps, the prune.
// With no store (store.disabled) its activities record nothing.
func newHistory(cfg *config.Config, history *store.DB, secureScore *activities.SecureScore) integration {
	h := &activities.History{Retention: cfg.Store.Retention.D(), Graph: secureScore.Clients}
	if history != nil {
		h.Store = history
	}
	return integration{activities: []any{h}}
}

// newSecureScore reads and writes each tenant's Secure Score through Graph,
// with the tenant's app registration.
func newSecureScore(cfg *config.Config, logger zerolog.Logger) (*activities.SecureScore, error) {
	secureScore, err := clients.SecureScore(cfg)
	if err != nil {
		return nil, err
	}
	for _, t := range cfg.Tenants {
		logging.Write(logger.Info().Str("tenant", t.ID).Strs("services", secureScore.Scopes[t.ID].Services()).Str("app", cfg.GraphApp(t).ClientID),
			"log.sweep.scope")
	}
	return secureScore, nil
}

// newTickets is Jira: the ticket activities, the polling fallback, and the
// signed webhook when jira.webhook_secret is set.
func newTickets(cfg *config.Config, verdicts delivery.Client, records activities.FleetRecords, replays replay.Shared,
	logger zerolog.Logger) (integration, error) {
	tickets, err := clients.Jira(cfg)
	var missing activities.NotConfigured
	if errors.As(err, &missing) {
		return integration{activities: []any{&activities.Tickets{System: missing}, &activities.TicketPoll{Poller: missing}}}, nil
	}
	if err != nil {
		return integration{}, err
	}
	j := cfg.Jira
	router := &jira.Router{Tickets: tickets, Verdicts: verdicts, Statuses: jira.NewStatuses(j.VerdictStatuses()), Tenants: tenantIDs(cfg)}
	ticketActivities := &activities.Tickets{System: tickets, Fleet: records}
	out := integration{activities: []any{
		ticketActivities,
		&activities.TicketPoll{Poller: jira.Poller{Client: tickets, Router: router, Window: 2 * j.PollInterval.D()}},
	}}
	if j.WebhookSecret.IsSet() {
		out.routes = map[string]http.Handler{"POST /jira/webhook": &jira.WebhookHandler{
			Secret: []byte(j.WebhookSecret.Reveal()), Router: router, Logger: component(logger, "jira-webhook"),
			Handled: replay.Cache{Shared: replays},
		}}
	}
	return out, nil
}

// sharedReplays is the store's record of the webhooks' handled requests,
// which every worker on the store shares; nil with the store off, when each
// worker refuses the replays it handled itself.
func sharedReplays(history *store.DB) replay.Shared {
	if history == nil {
		return nil
	}
	return history.HandledRequests()
}

// toldInSlack are the tenants whose customers are told in Slack.
func toldInSlack(cfg *config.Config) map[string]bool {
	told := map[string]bool{}
	for _, t := range cfg.Tenants {
		told[t.ID] = cfg.Tells(t, config.ChannelSlack)
	}
	return told
}

// bulkResultWait is how long a bulk verdict waits for each recommendation
// to carry its verdict out, so that its outcome names the stage reached.
const bulkResultWait = 5 * time.Second

// slackResultWait is how long a Slack interaction waits for its decision to
// be carried out before answering: Slack wants an answer within 3 seconds.
const slackResultWait = 1500 * time.Millisecond

// newChat is Slack: the customer-facing activities, and the signed
// interactions (buttons and the reason modal) when slack.signing_secret is set.
func newChat(cfg *config.Config, decisions delivery.Client, history *store.DB, records activities.FleetRecords, replays replay.Shared,
	logger zerolog.Logger) (integration, error) {
	chat, err := clients.Slack(cfg)
	var missing activities.NotConfigured
	if errors.As(err, &missing) {
		return integration{activities: []any{&activities.Chat{System: missing, Tenants: toldInSlack(cfg)}}}, nil
	}
	if err != nil {
		return integration{}, err
	}
	approvers := map[string]map[string]bool{}
	for _, t := range cfg.Tenants {
		approvers[t.ID] = map[string]bool{}
		for _, id := range t.SlackApprovers() {
			approvers[t.ID][id] = true
		}
	}
	activity := &activities.Chat{System: chat, Tenants: toldInSlack(cfg), Fleet: records}
	if history != nil {
		activity.Messages = history
	}
	out := integration{activities: []any{activity}}
	if cfg.Slack.SigningSecret.IsSet() {
		out.routes = map[string]http.Handler{"POST /slack/interactions": &slack.InteractionHandler{
			SigningSecret: cfg.Slack.SigningSecret.Reveal(), Approvers: approvers, Chat: chat, Decisions: decisions,
			Logger: component(logger, "slack-interactions"), Handled: replay.Cache{Shared: replays},
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
		&activities.Sweep{Client: temporalClient, Namespace: cfg.Temporal.Namespace, TaskQueue: cfg.Temporal.TaskQueue, TenantNames: names, Timings: timings, Rules: rules,
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
