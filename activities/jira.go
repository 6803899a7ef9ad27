package activities

import (
	"context"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// TicketSystem is the specialists' ticket system (integrations/jira).
// Every method is idempotent: called again after a crash, it finds what the
// first call created instead of creating it twice.
type TicketSystem interface {
	OpenRecommendationTicket(ctx context.Context, req lifecycle.TicketRequest) (string, error)
	OpenRFCTicket(ctx context.Context, req lifecycle.RFCRequest) (string, error)
	AddNote(ctx context.Context, note lifecycle.TicketNote) error
	Close(ctx context.Context, closure lifecycle.TicketClosure) error
}

// Jira holds the ticket activities.
type Jira struct {
	Tickets TicketSystem
}

// OpenRecommendationTicket creates (or finds) the ticket a specialist triages.
func (j *Jira) OpenRecommendationTicket(ctx context.Context, req lifecycle.TicketRequest) (string, error) {
	if j.Tickets == nil {
		return "", notConfigured("Jira")
	}
	return j.Tickets.OpenRecommendationTicket(ctx, req)
}

// OpenRFCTicket creates (or finds) the change ticket linked to the recommendation ticket.
func (j *Jira) OpenRFCTicket(ctx context.Context, req lifecycle.RFCRequest) (string, error) {
	if j.Tickets == nil {
		return "", notConfigured("Jira")
	}
	return j.Tickets.OpenRFCTicket(ctx, req)
}

// AddTicketNote comments on a ticket once.
func (j *Jira) AddTicketNote(ctx context.Context, note lifecycle.TicketNote) error {
	if j.Tickets == nil {
		return notConfigured("Jira")
	}
	return j.Tickets.AddNote(ctx, note)
}

// CloseTickets closes the recommendation's tickets with a comment saying why.
func (j *Jira) CloseTickets(ctx context.Context, closure lifecycle.TicketClosure) error {
	if j.Tickets == nil {
		return notConfigured("Jira")
	}
	return j.Tickets.Close(ctx, closure)
}
