package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// ChatSystem is where customers decide (integrations/slack). Every method is
// idempotent: a retried post finds the message it already posted.
type ChatSystem interface {
	RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.MessageRef, error)
	ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error
	RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error
	PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.MessageRef, error)
}

// DecisionMessages keeps where each decision was asked (internal/store):
// the dashboard links to the message and updates it with a decision taken
// there.
type DecisionMessages interface {
	RecordDecisionMessage(ctx context.Context, tenantID string, controlIDs []string, message lifecycle.MessageRef, postedAt time.Time) error
}

// Chat holds the chat system the customer-facing activities post through.
// A tenant not told in chat gets nothing posted: each activity succeeds at
// once, with no message.
type Chat struct {
	System ChatSystem
	// Tenants say which tenants are told in chat, by id; nil: every one.
	Tenants map[string]bool
	// Messages, if set, learns each message a decision is asked in.
	Messages DecisionMessages
	// Fleet, if set, adds what the MSP's other customers did to a decision.
	Fleet FleetRecords
}

// RequestDecision posts a critical decision's own message with its buttons.
func (c *Chat) RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.MessageRef, error) {
	if !c.tells(req.TenantID) {
		return lifecycle.MessageRef{}, nil
	}
	withFleet(ctx, c.Fleet, req.TenantID, &req.DecisionSubject)
	message, err := c.System.RequestDecision(ctx, req)
	if err == nil {
		c.remember(ctx, req.TenantID, []*lifecycle.DecisionSubject{&req.DecisionSubject}, message)
	}
	return message, err
}

// ReplyInThread posts a reminder, an escalation or the outcome in the decision's thread.
func (c *Chat) ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error {
	if !c.tells(reply.TenantID) || reply.Message.TS == "" {
		return nil
	}
	return c.System.ReplyInThread(ctx, reply)
}

// RecordDecision updates the decision message to show who decided what.
func (c *Chat) RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error {
	if !c.tells(outcome.TenantID) || outcome.Message.TS == "" {
		return nil
	}
	return c.System.RecordDecision(ctx, outcome)
}

// PostDigest posts the tenant's regular-meeting digest, each open decision with its buttons.
func (c *Chat) PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.MessageRef, error) {
	if !c.tells(digest.TenantID) {
		return lifecycle.MessageRef{}, nil
	}
	subjects := digestSubjects(digest)
	withFleet(ctx, c.Fleet, digest.TenantID, subjects...)
	message, err := c.System.PostDigest(ctx, digest)
	if err == nil {
		c.remember(ctx, digest.TenantID, subjects, message)
	}
	return message, err
}

func (c *Chat) tells(tenantID string) bool { return c.Tenants == nil || c.Tenants[tenantID] }

// remember records where the decisions were asked. The message is posted
// whatever becomes of this: a store that does not answer costs the
// dashboard its link, never the customer their question.
func (c *Chat) remember(ctx context.Context, tenantID string, subjects []*lifecycle.DecisionSubject, message lifecycle.MessageRef) {
	if c.Messages == nil || message.TS == "" || len(subjects) == 0 {
		return
	}
	var controlIDs []string
	for _, s := range subjects {
		if _, controlID, err := lifecycle.ParseRecommendationWorkflowID(s.WorkflowID); err == nil {
			controlIDs = append(controlIDs, controlID)
		}
	}
	if err := c.Messages.RecordDecisionMessage(ctx, tenantID, controlIDs, message, time.Now()); err != nil {
		logging.WriteSDK(activity.GetLogger(ctx).Warn, "log.chat.message_not_recorded", "Tenant", tenantID, "Error", err)
	}
}
