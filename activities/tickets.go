package activities

import (
	"context"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// TicketSystem is where specialists work (integrations/jira). Every method is
// idempotent: called again after a crash, it finds what the first call
// created instead of creating it twice.
type TicketSystem interface {
	OpenRecommendationTicket(ctx context.Context, req lifecycle.TicketRequest) (string, error)
	OpenRFCTicket(ctx context.Context, req lifecycle.RFCRequest) (string, error)
	AddNote(ctx context.Context, note lifecycle.TicketNote) error
	Close(ctx context.Context, closure lifecycle.TicketClosure) error
}

// Tickets holds the ticket activities.
type Tickets struct {
	System TicketSystem
	// Fleet, if set, adds what the MSP's other customers did to a new ticket.
	Fleet FleetRecords
}

// OpenRecommendationTicket creates (or finds) the ticket a specialist triages.
func (t *Tickets) OpenRecommendationTicket(ctx context.Context, req lifecycle.TicketRequest) (string, error) {
	if record, known := fleetRecords(ctx, t.Fleet, req.TenantID, req.ControlID)[req.ControlID]; known {
		req.Fleet = &record
	}
	return t.System.OpenRecommendationTicket(ctx, req)
}

// OpenRFCTicket creates (or finds) the change ticket linked to the recommendation ticket.
func (t *Tickets) OpenRFCTicket(ctx context.Context, req lifecycle.RFCRequest) (string, error) {
	return t.System.OpenRFCTicket(ctx, req)
}

// AddTicketNote comments on a ticket once.
func (t *Tickets) AddTicketNote(ctx context.Context, note lifecycle.TicketNote) error {
	return t.System.AddNote(ctx, note)
}

// CloseTickets closes the recommendation's tickets with a comment saying why.
func (t *Tickets) CloseTickets(ctx context.Context, closure lifecycle.TicketClosure) error {
	return t.System.Close(ctx, closure)
}
