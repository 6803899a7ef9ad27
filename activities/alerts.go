package activities

import (
	"context"
	"errors"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// AlertStore checks a tenant's recorded day for a score drop and keeps the
// alerts (internal/store).
type AlertStore interface {
	CheckScoreDrop(ctx context.Context, check lifecycle.AlertCheck, threshold float64) (lifecycle.ScoreAlert, bool, error)
	MarkAlertRaised(ctx context.Context, tenantID string, day time.Time) error
}

// AlertPoster posts an alert in the MSP's alert channel, once (integrations/slack).
type AlertPoster interface {
	PostAlert(ctx context.Context, alert lifecycle.ScoreAlert) error
}

// AlertTicketer opens an alert's ticket in the tenant's project, once (integrations/jira).
type AlertTicketer interface {
	OpenAlertTicket(ctx context.Context, alert lifecycle.ScoreAlert) (string, error)
}

// Alerts raises score-drop alerts. Without a store there is no history to
// compare with, and no alert.
type Alerts struct {
	Store     AlertStore        // nil: store.disabled
	Threshold float64           // alerts.score_drop
	Names     map[string]string // the tenants' names, by id
	Chat      AlertPoster
	Tickets   AlertTicketer
}

// CheckScore compares the tenant's recorded day with the day before it; the
// alert it returns has Raise set when the MSP is still to be told.
func (a *Alerts) CheckScore(ctx context.Context, check lifecycle.AlertCheck) (lifecycle.ScoreAlert, error) {
	if a.Store == nil {
		return lifecycle.ScoreAlert{}, nil
	}
	// A day that raises no alert comes back with Raise unset.
	alert, _, err := a.Store.CheckScoreDrop(ctx, check, a.Threshold)
	alert.TenantName = a.Names[check.TenantID]
	if alert.TenantName == "" {
		alert.TenantName = check.TenantID
	}
	return alert, err
}

// RaiseAlert tells the MSP: a message in its alert channel and a ticket in
// the tenant's project, each once however often it is retried; then the
// alert is marked told.
func (a *Alerts) RaiseAlert(ctx context.Context, alert lifecycle.ScoreAlert) error {
	var errs []error
	if a.Chat != nil {
		errs = append(errs, a.Chat.PostAlert(ctx, alert))
	}
	if a.Tickets != nil {
		_, err := a.Tickets.OpenAlertTicket(ctx, alert)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return a.Store.MarkAlertRaised(ctx, alert.TenantID, alert.Day)
}
