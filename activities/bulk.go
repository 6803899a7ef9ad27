package activities

import (
	"context"
	"errors"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// VerdictSender hands a verdict to a recommendation's workflow (internal/delivery).
type VerdictSender interface {
	SendVerdict(ctx context.Context, tenantID, controlID string, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error)
}

// Bulk delivers a bulk verdict, one tenant at a time.
type Bulk struct {
	Verdicts VerdictSender
}

// DeliverVerdict delivers a bulk verdict to one tenant's recommendation of
// the control, as an Update whose id is the same in every attempt: a
// retried delivery is taken once. A recommendation that does not take the
// verdict (none, or another stage) is skipped, saying why.
func (b *Bulk) DeliverVerdict(ctx context.Context, d lifecycle.BulkDelivery) (lifecycle.BulkOutcome, error) {
	outcome := lifecycle.BulkOutcome{TenantID: d.TenantID, Outcome: lifecycle.BulkSkipped}
	result, err := b.Verdicts.SendVerdict(ctx, d.TenantID, d.ControlID, lifecycle.SpecialistVerdict{
		EventID: d.EventID(d.TenantID), Verdict: d.Verdict, By: d.By, Source: lifecycle.SourceBulk, Advice: d.Advice,
	})
	switch {
	case errors.Is(err, lifecycle.ErrNoWorkflow):
		outcome.Why = "no recommendation of the control"
	case errors.Is(err, lifecycle.ErrRefused):
		outcome.Why = err.Error()
	case err != nil:
		return outcome, err
	default:
		outcome.Outcome, outcome.Stage = lifecycle.BulkDelivered, result.Stage
	}
	return outcome, nil
}
