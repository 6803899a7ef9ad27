package jira

import (
	"context"
	"errors"
	"strings"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// VerdictSender hands a verdict to the recommendation's workflow (through a
// Temporal Update); lifecycle.ErrRefused says the workflow did not take it.
type VerdictSender interface {
	SendVerdict(ctx context.Context, tenantID, controlID string, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error)
}

// Statuses maps Jira status names to the verdicts they mean (config jira.statuses).
type Statuses map[string]lifecycle.Verdict

// NewStatuses turns the configured status name of each verdict into the map
// from a ticket's status to its verdict.
func NewStatuses(byVerdict map[lifecycle.Verdict]string) Statuses {
	s := Statuses{}
	for verdict, name := range byVerdict {
		s[name] = verdict
	}
	return s
}

// Router turns a ticket's current status into a verdict for its workflow:
// the one path of webhooks and polling.
type Router struct {
	Tickets interface {
		Get(ctx context.Context, key string) (Ticket, error)
	}
	Verdicts VerdictSender
	Statuses Statuses
	Tenants  map[string]bool // configured tenant ids
}

// Outcome says what became of one ticket change.
type Outcome string

const (
	OutcomeSent       Outcome = "sent"
	OutcomeDuplicate  Outcome = "duplicate"
	OutcomeIgnored    Outcome = "ignored" // not scoreflow's, unknown tenant, or a status without a verdict
	OutcomeRefused    Outcome = "refused" // the workflow is in another stage
	OutcomeNoWorkflow Outcome = "no-workflow"
)

// Route re-reads the ticket (a webhook or a search result is only a hint)
// and sends the verdict its status means.
func (r *Router) Route(ctx context.Context, key, eventID string, by lifecycle.Person, source lifecycle.Source) (Outcome, error) {
	ticket, err := r.Tickets.Get(ctx, key)
	if errors.Is(err, ErrTicketNotFound) {
		return OutcomeIgnored, nil
	}
	if err != nil {
		return "", err
	}
	tenantID, controlID, ok := ticket.TenantAndControl()
	if !ok || !r.Tenants[tenantID] {
		return OutcomeIgnored, nil
	}
	verdict, ok := r.Statuses.verdict(ticket)
	if !ok {
		return OutcomeIgnored, nil
	}
	result, err := r.Verdicts.SendVerdict(ctx, tenantID, controlID, lifecycle.SpecialistVerdict{
		EventID: eventID, Verdict: verdict, TicketKey: ticket.Key, By: by, Source: source,
	})
	switch {
	case errors.Is(err, lifecycle.ErrRefused):
		return OutcomeRefused, nil
	case errors.Is(err, lifecycle.ErrNoWorkflow):
		return OutcomeNoWorkflow, nil
	case err != nil:
		return "", err
	case result.Duplicate:
		return OutcomeDuplicate, nil
	}
	return OutcomeSent, nil
}

// verdict is what the ticket's status means, if it means one on this kind of
// ticket: an RFC's statuses count on RFC tickets only, and the others on
// recommendation tickets only.
func (s Statuses) verdict(t Ticket) (lifecycle.Verdict, bool) {
	for name, v := range s {
		if strings.EqualFold(name, t.Status) {
			return v, v.OnRFC() == t.IsRFC()
		}
	}
	return "", false
}
