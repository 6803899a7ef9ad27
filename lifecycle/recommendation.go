package lifecycle

import "time"

// QueryState is the query that returns a recommendation's whole state.
const QueryState = "state"

// RecommendationInput starts the workflow of one control of one tenant. It
// carries IDs and the few facts the UI shows, never credentials or Graph blobs.
type RecommendationInput struct {
	TenantID     string
	TenantName   string
	ControlID    string
	ControlTitle string
	Facts        ControlFacts
	Timings      Timings
	// Regression marks a control detected again after a completed run.
	Regression    bool
	PreviousRunID string
	// Resume carries the state across continue-as-new; nil for a new recommendation.
	Resume *RecommendationState `json:",omitempty"`
	// OnboardInOneTask is set by the sweeps of this version when they start a
	// recommendation: it onboards in its first task (workflows/triage.go) and,
	// the choice being in its input, needs no version marker, whose search
	// attribute would cost one more write of its visibility row. Runs started
	// without it ask the history for the version.
	OnboardInOneTask bool `json:",omitempty"`
	// PreAssessment is the rules' first opinion on the control, which the
	// sweeps of this version form when they start a recommendation (the
	// rules are pure, and a change of them reaches new recommendations only).
	// With it in the input, the first task has no pre-assessment step and
	// its history no marker for one. Runs started without it pre-assess in
	// their first task.
	PreAssessment *PreAssessment `json:",omitempty"`
	// Observation is the sweep's observation that found the control, given
	// to a new recommendation in its input rather than as a signal: one
	// history event and one delivery fewer. Runs started by earlier sweeps
	// receive it as a signal. Continue-as-new leaves it out.
	Observation *ControlObservation `json:",omitempty"`
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
	PreAssessment *PreAssessment `json:",omitempty"`
	Advice        string

	TicketKey       string
	RFCKey          string
	RFCAttempts     int
	DecisionMessage *SlackMessage `json:",omitempty"`
	// GraphState is what scoreflow last wrote to Graph (Default until it writes):
	// an observation showing anything else was changed outside scoreflow.
	GraphState string

	// Deadline is the next timer: what happens then is DeadlineFor.
	Deadline        time.Time
	DeadlineFor     string
	RemindersSent   int
	Escalated       bool
	DetectionWarned bool

	Transitions     []Transition
	Outcome         string              // why the recommendation ended
	LastObservation *ControlObservation `json:",omitempty"`
	// AppliedEvents are the latest message event IDs, to ignore redeliveries.
	AppliedEvents []string
	Runs          int // how many times the workflow continued as new
}

// Timings are the lifecycle's waiting periods (config `lifecycle:`); zero
// values take SPEC.md's defaults.
type Timings struct {
	ReminderInterval      time.Duration
	EscalationAfter       time.Duration
	DetectionWarningAfter time.Duration
	RiskReviewAfter       time.Duration
}

// WithDefaults fills unset periods with SPEC.md's defaults.
func (t Timings) WithDefaults() Timings {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&t.ReminderInterval, 24*time.Hour)
	set(&t.EscalationAfter, 72*time.Hour)
	set(&t.DetectionWarningAfter, 7*24*time.Hour)
	set(&t.RiskReviewAfter, 180*24*time.Hour)
	return t
}
