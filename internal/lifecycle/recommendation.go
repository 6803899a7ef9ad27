package lifecycle

import "time"

// QueryState is the query that returns a recommendation's whole state.
const QueryState = "state"

// RecommendationInput starts the workflow of one control of one tenant. It
// carries IDs and the few facts the ticket and the UI show, never
// credentials or Graph's long texts. The sweep starts every recommendation
// with what it saw and the rules' pre-assessment; a run that continues as
// new carries the state in Resume instead.
type RecommendationInput struct {
	TenantID      string
	TenantName    string
	ControlID     string
	ControlTitle  string
	Facts         ControlFacts
	PreAssessment PreAssessment
	// Observation is the sweep's observation that found the control open.
	Observation ControlObservation
	Timings     Timings
	// Regression marks a control detected again after a completed run.
	Regression    bool
	PreviousRunID string
	// Resume carries the state across continue-as-new; nil for a new recommendation.
	Resume *RecommendationState `json:",omitempty"`
	// RecordsHistory makes the run write its audit trail to the store (whose
	// activities record nothing when store.disabled is set).
	RecordsHistory bool `json:",omitempty"`
}

// RecommendationState is the whole state: the state query returns it, the
// starter shows it, and continue-as-new carries it to the next run.
type RecommendationState struct {
	TenantID      string
	TenantName    string
	ControlID     string
	ControlTitle  string
	Stage         Stage
	StageSince    time.Time
	Critical      bool
	Alternate     bool // the customer chose an alternative implementation
	Regression    bool
	PreviousRunID string
	Facts         ControlFacts
	PreAssessment PreAssessment
	Advice        string

	TicketKey       string
	RFCKey          string
	RFCAttempts     int
	DecisionMessage *MessageRef `json:",omitempty"`
	// GraphState is what scoreflow last wrote to Graph (Default until it writes):
	// an observation showing anything else was changed outside scoreflow.
	GraphState string
	// ByHandState is a state Graph refused to take, which the ticket asked
	// the specialist to record by hand: an observation showing it is that
	// record, not an outside change.
	ByHandState string `json:",omitempty"`
	// WriteCheck is scoreflow's latest state write that the first sweep
	// after Timings.WriteCheckAfter checks; nil once checked.
	WriteCheck *WriteCheck `json:",omitempty"`

	// Deadline is the next timer: what happens then is DeadlineFor.
	Deadline        time.Time
	DeadlineFor     string
	RemindersSent   int
	Escalated       bool
	DetectionWarned bool

	Transitions []Transition
	Outcome     string // why the recommendation ended
	// Finished: its tickets are closed and the customer told, which a run
	// continued while awaiting a state by hand must not do again.
	Finished        bool                `json:",omitempty"`
	LastObservation *ControlObservation `json:",omitempty"`
	// AppliedEvents are the latest message event IDs, to ignore redeliveries.
	AppliedEvents []string
	Runs          int // how many times the workflow continued as new
}

// WriteCheck is a state write to verify: Graph can accept a PATCH that its
// later reads, and the portal, never show.
type WriteCheck struct {
	State   string
	Comment string
	// Before is the state Graph showed before the write: seeing it again
	// within the check's period is the write not showing yet, not an outside change.
	Before string
	Due    time.Time
}

// Timings are the lifecycle's waiting periods (config `lifecycle:`, and
// graph.write_check_after).
type Timings struct {
	ReminderInterval      time.Duration
	EscalationAfter       time.Duration
	DetectionWarningAfter time.Duration
	RiskReviewAfter       time.Duration
	WriteCheckAfter       time.Duration
}

// DefaultTimings are the lifecycle's waiting periods unless configured otherwise.
var DefaultTimings = Timings{
	ReminderInterval:      24 * time.Hour,
	EscalationAfter:       72 * time.Hour,
	DetectionWarningAfter: 7 * 24 * time.Hour,
	RiskReviewAfter:       180 * 24 * time.Hour,
	WriteCheckAfter:       3 * 24 * time.Hour,
}

// WithDefaults fills unset periods from DefaultTimings.
func (t Timings) WithDefaults() Timings {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&t.ReminderInterval, DefaultTimings.ReminderInterval)
	set(&t.EscalationAfter, DefaultTimings.EscalationAfter)
	set(&t.DetectionWarningAfter, DefaultTimings.DetectionWarningAfter)
	set(&t.RiskReviewAfter, DefaultTimings.RiskReviewAfter)
	set(&t.WriteCheckAfter, DefaultTimings.WriteCheckAfter)
	return t
}
