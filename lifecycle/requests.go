package lifecycle

import "time"

// The requests workflows give their activities: IDs and short texts only,
// so histories stay small and hold no secret. Each names its tenant, so a
// router can hand it to that tenant's ticket system or chat.

// TicketRequest opens the recommendation ticket (docs/lifecycle.md, triage).
type TicketRequest struct {
	TenantID   string
	WorkflowID string
	// FirstRunID identifies the workflow's chain of runs: a regression is a new
	// chain with new tickets, a retried activity is the same chain.
	FirstRunID    string
	ControlID     string
	ControlTitle  string
	Facts         ControlFacts
	PreAssessment PreAssessment
	Regression    bool
	PreviousRunID string
}

// RFCRequest opens the change ticket, linked to the recommendation ticket.
type RFCRequest struct {
	TenantID     string
	WorkflowID   string
	FirstRunID   string
	ControlID    string
	ControlTitle string
	TicketKey    string
	Alternate    bool
	ApprovedBy   Person
	// Attempt numbers the RFCs of one recommendation: a cancelled RFC is followed by a new one.
	Attempt int
}

// TicketNote is a comment on a ticket. NoteID makes it idempotent: a retried
// activity finds the comment it already wrote.
type TicketNote struct {
	TenantID  string
	TicketKey string
	NoteID    string
	Text      string
}

// TicketClosure closes the recommendation's tickets, saying why.
type TicketClosure struct {
	TenantID   string
	TicketKeys []string
	NoteID     string
	Reason     string
}

// DecisionSubject is what a customer needs to decide: the recommendation,
// its impact, and the specialist's advice.
type DecisionSubject struct {
	WorkflowID    string
	ControlTitle  string
	TicketKey     string
	Facts         ControlFacts
	PreAssessment PreAssessment
	Advice        string
}

// DecisionRequest asks the customer in chat. Only critical ones get a
// message of their own; the others are items of the tenant's digest.
type DecisionRequest struct {
	TenantID string
	DecisionSubject
	Critical bool
}

// MessageRef locates a posted chat message: its thread takes reminders and the outcome.
type MessageRef struct {
	Channel string
	TS      string // the chat system's id of the message within the channel
}

// ThreadReply is a reply in a decision message's thread; ReplyID makes it idempotent.
type ThreadReply struct {
	TenantID             string
	Message              MessageRef
	ReplyID              string
	MentionTechnicalLead bool
	// Kind is which reply it is: the chat writes it in the tenant's
	// language from the fields after it. Runs of v0.1.0 sent Text, written
	// out in English, instead.
	Kind         ReplyKind     `json:",omitempty"`
	ControlTitle string        `json:",omitempty"`
	Asked        time.Time     `json:",omitempty"` // a reminder's: when the decision was asked
	Waited       time.Duration `json:",omitempty"` // an escalation's: how long it has waited
	Outcome      Stage         `json:",omitempty"` // an outcome's: the stage the recommendation ended in
	Text         string        `json:",omitempty"`
}

// ReplyKind is which reply a thread reply is.
type ReplyKind string

const (
	ReplyReminder   ReplyKind = "reminder"
	ReplyEscalation ReplyKind = "escalation"
	ReplyOutcome    ReplyKind = "outcome"
)

// DecisionOutcome updates the decision message to show who decided what.
type DecisionOutcome struct {
	TenantID     string
	WorkflowID   string
	ControlTitle string
	Message      MessageRef
	Decision     CustomerDecision
	// InDigest: the message is a digest; only this recommendation's item changes.
	InDigest bool
}

// ControlStateChange is a PATCH of the control profile in Graph.
type ControlStateChange struct {
	TenantID  string
	ControlID string
	State     string // Default, Ignored, ThirdParty, Reviewed
	Comment   string
}

// StateWrite says how Graph took a state change. The zero value is a write
// Graph accepted; Refused explains one it does not take for this control,
// and ByHand says where a person records it instead.
type StateWrite struct {
	Refused string `json:",omitempty"`
	ByHand  string `json:",omitempty"`
}

// DigestItem is one open non-critical decision in a tenant's digest.
type DigestItem struct {
	DecisionSubject
	WaitingSince time.Time
}

// DigestRequest posts a tenant's regular-meeting digest; DigestID makes it idempotent.
type DigestRequest struct {
	TenantID string
	DigestID string
	Items    []DigestItem
}

// TransitionRecord is one step of a recommendation's audit trail as the
// store keeps it. Seq numbers the steps of a chain of runs (ChainID is its
// first run): a retried or replayed write of the same step finds its row.
type TransitionRecord struct {
	WorkflowID string
	ChainID    string
	Seq        int
	RunID      string
	TenantID   string
	ControlID  string
	Transition
	TicketKey string
	RFCKey    string
	Critical  bool // the recommendation was critical when it took the step
	// Service is the control's service in Graph, which says whether the
	// recommendation is in a tenant's scope; empty from a writer that did not know it.
	Service string `json:",omitempty"`
}
