package activities

import (
	"context"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// ChatSystem is where customers decide (integrations/slack). Every method is
// idempotent: a retried post finds the message it already posted.
type ChatSystem interface {
	RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.MessageRef, error)
	ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error
	RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error
	PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.MessageRef, error)
}

// Chat holds the customer-facing activities.
type Chat struct {
	System ChatSystem
}

// RequestDecision posts a critical decision's own message with its buttons.
func (c *Chat) RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.MessageRef, error) {
	return c.System.RequestDecision(ctx, req)
}

// ReplyInThread posts a reminder, an escalation or the outcome in the decision's thread.
func (c *Chat) ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error {
	return c.System.ReplyInThread(ctx, reply)
}

// RecordDecision updates the decision message to show who decided what.
func (c *Chat) RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error {
	return c.System.RecordDecision(ctx, outcome)
}

// PostDigest posts the tenant's regular-meeting digest, each open decision with its buttons.
func (c *Chat) PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.MessageRef, error) {
	return c.System.PostDigest(ctx, digest)
}
