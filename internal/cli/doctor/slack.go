package doctor

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/internal/config"
)

// userLookup reads a Slack user once for every tenant it serves.
type userLookup struct {
	once sync.Once
	name string
	err  error
}

func (d *Doctor) user(ctx context.Context, id string) (string, error) {
	d.mu.Lock()
	lookup := d.users[id]
	if lookup == nil {
		lookup = &userLookup{}
		d.users[id] = lookup
	}
	d.mu.Unlock()
	lookup.once.Do(func() { lookup.name, lookup.err = d.slack.User(ctx, id) })
	return lookup.name, lookup.err
}

// checkSlackApp checks the app all tenants share: its bot token has every
// scope scoreflow's calls need, and its signing secret is set.
func (d *Doctor) checkSlackApp(ctx context.Context) []Result {
	if d.slackErr != nil {
		return []Result{fail(Installation, "slack", d.slackErr.Error())}
	}
	var results []Result
	if d.cfg.Slack.SigningSecret.IsSet() {
		results = append(results, ok(Installation, "slack signing secret", d.texts.T("doctor.slack.signing")))
	} else {
		results = append(results, fail(Installation, "slack signing secret", d.texts.T("doctor.slack.no_signing")))
	}
	granted, err := d.slack.GrantedScopes(ctx)
	if err != nil {
		return append(results, fail(Installation, "slack scopes", err.Error()))
	}
	if missing := slack.MissingScopes(granted); len(missing) > 0 {
		return append(results, fail(Installation, "slack scopes", d.texts.T("doctor.slack.scopes_missing", "Missing", strings.Join(missing, ", "))))
	}
	return append(results, ok(Installation, "slack scopes", d.texts.T("doctor.slack.scopes")))
}

// checkSlack checks the tenant's channel, with the bot in it, and that its
// approvers and technical lead exist.
func (d *Doctor) checkSlack(ctx context.Context, t config.Tenant) []Result {
	if d.slackErr != nil || !d.cfg.Tells(t, config.ChannelSlack) {
		return nil // the installation's check says why, or the tenant is not told in Slack
	}
	var results []Result
	name, member, err := d.slack.Channel(ctx, t.SlackChannel)
	switch {
	case err != nil:
		results = append(results, fail(t.ID, "slack channel", d.texts.T("doctor.slack.channel_failed", "Error", err.Error())))
	case !member:
		results = append(results, fail(t.ID, "slack channel", d.texts.T("doctor.slack.not_member", "Name", name, "Channel", t.SlackChannel)))
	default:
		results = append(results, ok(t.ID, "slack channel", d.texts.T("doctor.slack.channel", "Name", name, "Channel", t.SlackChannel)))
	}
	results = append(results, d.checkPeople(ctx, t, "slack approvers", "approvers", t.SlackApprovers()))
	if t.TechnicalLead != "" {
		results = append(results, d.checkPeople(ctx, t, "slack technical lead", "technical_lead", []string{t.TechnicalLead}))
	}
	return results
}

func (d *Doctor) checkPeople(ctx context.Context, t config.Tenant, check, key string, ids []string) Result {
	var found, unknown []string
	for _, id := range ids {
		if name, err := d.user(ctx, id); err != nil {
			unknown = append(unknown, fmt.Sprintf("%s (%v)", id, err))
		} else {
			found = append(found, id+" ("+name+")")
		}
	}
	if len(unknown) > 0 {
		return fail(t.ID, check, d.texts.T("doctor.slack.unknown_users", "Users", strings.Join(unknown, ", "), "Key", key))
	}
	return ok(t.ID, check, strings.Join(found, ", "))
}
