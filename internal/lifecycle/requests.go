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
	// Fleet is what the MSP's other customers did with the control, added
	// by the activity that opens the ticket; nil: not known.
	Fleet *FleetRecord `json:",omitempty"`
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
	// Kind is which note it is: the ticket system writes it in the MSP's
	// language from the fields after it.
	Kind      NoteKind `json:",omitempty"`
	ControlID string   `json:",omitempty"`
	// State and Comment are what scoreflow asked Graph to record.
	State   string `json:",omitempty"`
	Comment string `json:",omitempty"`
	// SeenState and SeenComment are what Graph showed instead (NoteWriteDidNotStick).
	SeenState   string `json:",omitempty"`
	SeenComment string `json:",omitempty"`
	// Write says why Graph did not take the state and where to record it (NoteStateByHand).
	Write StateWrite `json:",omitzero"`
	// After is how long scoreflow waited before the note.
	After  time.Duration `json:",omitempty"`
	RFCKey string        `json:",omitempty"`
	By     Person        `json:",omitzero"`
}

// NoteKind is which note a ticket note is.
type NoteKind string

const (
	// NoteStateByHand: Graph did not take a state; record it by hand.
	NoteStateByHand NoteKind = "state-by-hand"
	// NoteWriteDidNotStick: Graph took a state, but later shows another.
	NoteWriteDidNotStick NoteKind = "write-did-not-stick"
	// NoteDetectionOverdue: Microsoft has not detected the change after After.
	NoteDetectionOverdue NoteKind = "detection-overdue"
	// NoteRiskReview: a risk accepted After ago is to be assessed again.
	NoteRiskReview NoteKind = "risk-review"
	// NoteRFCCancelled: By cancelled the RFC; the recommendation is back in assessment.
	NoteRFCCancelled NoteKind = "rfc-cancelled"
)

// TicketClosure closes the recommendation's tickets, saying why: the
// ticket system writes it in the MSP's language from Stage and the fields
// after it.
type TicketClosure struct {
	TenantID   string
	TicketKeys []string
	NoteID     string
	// Stage is the stage the recommendation entered.
	Stage Stage `json:",omitempty"`
	// Outcome is the audit trail's reason for it (a risk acceptance's is
	// AcceptedBy and AcceptReason, with ReviewAt).
	Outcome      string    `json:",omitempty"`
	AcceptedBy   Person    `json:",omitzero"`
	AcceptReason string    `json:",omitempty"`
	ReviewAt     time.Time `json:",omitzero"`
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
	// Fleet is what the MSP's other customers did with the control, added
	// by the activity that tells the customer; nil: not known.
	Fleet *FleetRecord `json:",omitempty"`
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
	// language from the fields after it.
	Kind         ReplyKind     `json:",omitempty"`
	ControlTitle string        `json:",omitempty"`
	Asked        time.Time     `json:",omitzero"`  // a reminder's: when the decision was asked
	Waited       time.Duration `json:",omitempty"` // an escalation's: how long it has waited
	Outcome      Stage         `json:",omitempty"` // an outcome's: the stage the recommendation ended in
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
// and Portal says where a person records it instead.
type StateWrite struct {
	Refused string `json:",omitempty"`
	// Portal is where in Microsoft's portal a person records it.
	Portal Portal `json:",omitempty"`
}

// Portal is a place in the Microsoft Defender portal where a person records
// a control's state.
type Portal string

const (
	// PortalSecureScore: Exposure management > Secure Score > Recommended actions.
	PortalSecureScore Portal = "secure-score"
	// PortalVulnerabilityManagement: Vulnerability management > Recommendations.
	PortalVulnerabilityManagement Portal = "vulnerability-management"
)

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
	// Due is when the workflow will next act on the recommendation by
	// itself after the step, by its own timings: a risk's re-review, a
	// critical decision's escalation, Microsoft's detection warning. Zero:
	// nothing is due, or a writer that did not know it.
	Due time.Time
}

// FleetRecord is what the MSP's other customers did with a control, as a
// customer may read it beside their own decision: counts only, and a
// reason only once at least FleetMinGroup tenants gave it, so that nothing
// in it names or singles out another customer.
type FleetRecord struct {
	Implemented  int
	Alternative  int
	RiskAccepted int
	// Reasons are the risk acceptances' reasons at least FleetMinGroup
	// tenants gave in the same words (fleet.Normalize), most given first.
	Reasons []GroupedReason `json:",omitempty"`
}

// GroupedReason is one reason and how many tenants gave it.
type GroupedReason struct {
	Text    string
	Tenants int
}

// FleetMinGroup is how many tenants must have given a reason before a
// customer reads it.
const FleetMinGroup = 3

// Empty reports whether there is nothing to tell.
func (r FleetRecord) Empty() bool { return r.Implemented+r.Alternative+r.RiskAccepted == 0 }
