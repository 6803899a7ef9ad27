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

// Verdict is what a specialist decides by moving a Jira ticket (SPEC.md,
// lifecycle steps 2, 3 and 5); the Jira status names map onto these.
type Verdict string

const (
	VerdictMitigatedElsewhere Verdict = "mitigated_elsewhere" // triage
	VerdictThirdParty         Verdict = "third_party"         // triage
	VerdictNeedsChange        Verdict = "needs_change"        // triage
	VerdictNoImpact           Verdict = "no_impact"           // assessment
	VerdictCustomerDecision   Verdict = "customer_decision"   // assessment
	VerdictCriticalDecision   Verdict = "critical_decision"   // assessment
	VerdictRFCScheduled       Verdict = "rfc_scheduled"       // planned
	VerdictRFCImplemented     Verdict = "rfc_implemented"     // planned
	VerdictRFCCancelled       Verdict = "rfc_cancelled"       // planned
)

// Decision is the customer's answer in Slack (SPEC.md, lifecycle step 4).
type Decision string

const (
	DecisionApprove     Decision = "approve"
	DecisionAcceptRisk  Decision = "accept_risk"
	DecisionAlternative Decision = "alternative"
)

// Person is who acted: a Jira account, a Slack user, or an operator.
type Person struct {
	ID   string // Jira accountId, Slack user id, or the operator's login
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
	SourceOperator    Source = "operator" // sent with `starter`, recorded as manual
	SourceSweep       Source = "sweep"
	SourceTimer       Source = "timer"
	SourceScoreflow   Source = "scoreflow"
)

// SpecialistVerdict moves a recommendation in triage, assessment or planning.
type SpecialistVerdict struct {
	// EventID identifies the delivery (Jira webhook identifier, changelog id):
	// the same event delivered twice changes nothing.
	EventID   string
	Verdict   Verdict
	TicketKey string // the ticket that was moved
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
	// From is the Slack message the decision was taken in (a digest, for a
	// non-critical decision), so it can be updated to show who decided what.
	From *SlackMessage `json:",omitempty"`
}

// MessageResult tells the sender where the recommendation stands after its message.
type MessageResult struct {
	Stage     Stage
	Duplicate bool // the same event was applied before: nothing changed
}

// Transition is one step of the audit trail: who moved the recommendation, when and why.
type Transition struct {
	At     time.Time
	From   Stage
	To     Stage
	By     Person
	Source Source
	Reason string
}

// ControlFacts are the profile's fields the pre-assessment and the ticket
// need; the sweep passes them at start so no workflow calls Graph.
type ControlFacts struct {
	Category           string
	Service            string
	Tier               string
	UserImpact         string
	ImplementationCost string
	Threats            []string
	MaxScore           float64
	Score              float64
	TenantMaxScore     float64 // the tenant's Secure Score maximum, for the % impact
	ActionURL          string
	Remediation        string   // Microsoft's remediation text, at most MaxRemediation bytes
	EnabledServices    []string // the tenant's licences when the control was detected
}

// MaxRemediation bounds the remediation text kept in a workflow input.
const MaxRemediation = 2000

// ScoreImpact is the control's weight in the tenant's Secure Score, in percent.
func (f ControlFacts) ScoreImpact() float64 {
	if f.TenantMaxScore <= 0 {
		return 0
	}
	return 100 * f.MaxScore / f.TenantMaxScore
}

// PreAssessment is scoreflow's automatic first opinion on impact (SPEC.md, step 3).
type PreAssessment struct {
	UserImpact        string   // low, moderate, high
	FinancialImpact   bool     // a licence is missing or the change costs money
	MissingLicences   []string // prerequisite licences the tenant lacks
	ImplementationEst string   // the profile's implementation cost
	SuggestCritical   bool
	Reasons           []string
}
