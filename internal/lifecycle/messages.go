package lifecycle

import (
	"errors"
	"time"
)

// ErrRefused wraps a message the workflow rejected: wrong stage, wrong ticket,
// missing reason. Nothing was written to its history.
var ErrRefused = errors.New("refused by the recommendation")

// ErrNoWorkflow says the recommendation has no running workflow.
var ErrNoWorkflow = errors.New("no running recommendation")

// Update names: the caller learns whether its message was accepted.
const (
	UpdateSpecialistVerdict = "specialist-verdict"
	UpdateCustomerDecision  = "customer-decision"
)

// Person is who acted: a ticket system account, a chat user, or an operator.
type Person struct {
	ID   string // Jira accountId, Slack user id, Entra object id (on the dashboard), or the operator's login
	Name string
}

func (p Person) String() string {
	if p.Name == "" {
		return p.ID
	}
	return p.Name
}

// Source says through which path a message came, for the audit trail.
type Source string

const (
	SourceJiraWebhook Source = "jira-webhook"
	SourceJiraPoll    Source = "jira-poll"
	SourceSlack       Source = "slack"
	SourceDashboard   Source = "dashboard" // an approver, signed in with their Microsoft account
	SourceBulk        Source = "bulk"      // a bulk verdict across tenants, started by the MSP's staff
	SourceOperator    Source = "operator"  // sent with `starter`, recorded as manual
	SourceSweep       Source = "sweep"
	SourceTimer       Source = "timer"
	SourceScoreflow   Source = "scoreflow"
)

// SpecialistVerdict moves a recommendation in triage, assessment or planning.
type SpecialistVerdict struct {
	// EventID identifies the delivery (webhook identifier, changelog entry):
	// the same event delivered twice changes nothing.
	EventID   string
	Verdict   Verdict
	TicketKey string // the ticket that was moved; empty for an operator's verdict
	By        Person
	Source    Source
	// Advice is the specialist's advice to the customer, shown with the decision.
	Advice string
}

// CustomerDecision is an approver's answer to a decision request.
type CustomerDecision struct {
	EventID  string
	Decision Decision
	Reason   string // required when accepting the risk
	By       Person
	Source   Source
	// From is the chat message the decision was taken in (a digest, for a
	// non-critical decision), so it can be updated to show who decided what.
	From *MessageRef `json:",omitempty"`
}

// MessageResult tells the sender where the recommendation stands after its message.
type MessageResult struct {
	Stage     Stage
	Duplicate bool // the same event was applied before: nothing changed
}

// Transition is one step of the audit trail: who moved the recommendation,
// when, how and why. From equals To for a step that keeps the stage, such as
// an RFC scheduled or an escalation.
type Transition struct {
	At     time.Time
	From   Stage
	To     Stage
	By     Person
	Source Source
	Reason string
}
