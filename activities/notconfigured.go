package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// NotConfigured stands in for an outside system the config leaves out: each
// call fails with an error that names the system and what to configure. The
// error is retryable on purpose: the workflow waits in its stage, the Web UI
// shows why, and a worker started with the system configured carries on.
type NotConfigured struct {
	System string // "Jira", "Slack"
	Fix    string // the config keys that would configure it
}

func (n NotConfigured) Error() string {
	return n.System + " is not configured in this worker: " + n.Fix
}

func (n NotConfigured) err() error { return temporal.NewApplicationError(n.Error(), "NotConfigured") }

// The ticket system's calls.

func (n NotConfigured) OpenRecommendationTicket(context.Context, lifecycle.TicketRequest) (string, error) {
	return "", n.err()
}
func (n NotConfigured) OpenRFCTicket(context.Context, lifecycle.RFCRequest) (string, error) {
	return "", n.err()
}
func (n NotConfigured) AddNote(context.Context, lifecycle.TicketNote) error  { return n.err() }
func (n NotConfigured) Close(context.Context, lifecycle.TicketClosure) error { return n.err() }
func (n NotConfigured) Poll(context.Context, string) (map[string]int, error) { return nil, n.err() }

// The chat's calls.

func (n NotConfigured) ReplyInThread(context.Context, lifecycle.ThreadReply) error { return n.err() }

func (n NotConfigured) RequestDecision(context.Context, lifecycle.DecisionRequest) (lifecycle.MessageRef, error) {
	return lifecycle.MessageRef{}, n.err()
}
func (n NotConfigured) RecordDecision(context.Context, lifecycle.DecisionOutcome) error {
	return n.err()
}
func (n NotConfigured) PostDigest(context.Context, lifecycle.DigestRequest) (lifecycle.MessageRef, error) {
	return lifecycle.MessageRef{}, n.err()
}

var (
	_ TicketSystem = NotConfigured{}
	_ ChatSystem   = NotConfigured{}
	_ TicketPoller = NotConfigured{}
)
