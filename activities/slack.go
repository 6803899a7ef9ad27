package activities

import (
	"context"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// Chat is where customers decide (integrations/slack). Every method is
// idempotent: a retried post finds the message it already posted.
type Chat interface {
	RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.SlackMessage, error)
	ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error
	RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error
	PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.SlackMessage, error)
}

// Slack holds the customer-facing activities.
type Slack struct {
	Chat Chat
}

// RequestDecision posts a critical decision's own message with its buttons.
func (s *Slack) RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.SlackMessage, error) {
	if s.Chat == nil {
		return lifecycle.SlackMessage{}, notConfigured("Slack")
	}
	return s.Chat.RequestDecision(ctx, req)
}

// ReplyInThread posts a reminder, an escalation or the outcome in the decision's thread.
func (s *Slack) ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error {
	if s.Chat == nil {
		return notConfigured("Slack")
	}
	return s.Chat.ReplyInThread(ctx, reply)
}

// RecordDecision updates the decision message to show who decided what, and when.
func (s *Slack) RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error {
	if s.Chat == nil {
		return notConfigured("Slack")
	}
	return s.Chat.RecordDecision(ctx, outcome)
}

// PostDigest posts the tenant's regular-meeting digest, each open decision with its buttons.
func (s *Slack) PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.SlackMessage, error) {
	if s.Chat == nil {
		return lifecycle.SlackMessage{}, notConfigured("Slack")
	}
	return s.Chat.PostDigest(ctx, digest)
}
