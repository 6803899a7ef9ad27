package lifecycle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// SignalObservation carries a sweep's ControlObservation to a recommendation workflow.
const SignalObservation = "observation"

// ControlObservation is what one daily sweep saw of one control. The sweep
// sends it to the control's workflow, which learns of completion and of
// changes made outside scoreflow this way, never by calling Graph itself.
type ControlObservation struct {
	SweepID    string    // the sweep's workflow run: the same sweep delivered twice counts once
	ObservedAt time.Time // the secureScores snapshot's date
	Present    bool      // false: the profile is gone from Graph
	Score      float64
	MaxScore   float64
	State      string // Default, Ignored, ThirdParty or Reviewed
	// StateComment is the comment of the control's latest state update.
	StateComment string `json:",omitempty"`
	Deprecated   bool
	Open         bool
}

// Digest identifies what a recommendation acts on in an observation,
// whichever sweep made it: two observations with the same digest have the
// same effect on a recommendation that has already applied one of them,
// unless it awaits a write check or a state by hand (ObservedEverySweep).
func (o ControlObservation) Digest() string {
	seen := fmt.Sprintf("%t|%g|%g|%q|%q|%t|%t", o.Present, o.Score, o.MaxScore, o.State, o.StateComment, o.Deprecated, o.Open)
	sum := sha256.Sum256([]byte(seen))
	return hex.EncodeToString(sum[:12])
}

// SweepInput starts one tenant's sweep.
type SweepInput struct {
	TenantID string
}

// TenantSnapshot is the part of a tenant's Secure Score a sweep acts on and
// records: the score, and the controls in the tenant's product scope,
// without Graph's long texts.
type TenantSnapshot struct {
	TenantID        string
	TakenAt         time.Time
	CurrentScore    float64
	MaxScore        float64
	EnabledServices []string
	Comparisons     []Comparison
	Controls        []ControlSummary
	GraphRequests   int // requests this snapshot cost, for the sweep's report
	// UnseenProducts are the tenant's products entries that are neither a
	// known product nor the service of any of its profiles: likely typos.
	UnseenProducts []string `json:",omitempty"`
}

// ForStore is what the store records of a snapshot: each control without
// the facts a new recommendation starts with, which only the delivery needs
// (Facts.Service is kept, for the dashboard). The sweep passes this to the
// store's activities, so the snapshot's long fields are in its history
// twice (read and delivered), not four times (BENCHMARKS.md).
func (s TenantSnapshot) ForStore() TenantSnapshot {
	controls := make([]ControlSummary, len(s.Controls))
	for i, c := range s.Controls {
		c.Facts = ControlFacts{Service: c.Facts.Service}
		controls[i] = c
	}
	s.Controls = controls
	return s
}

// ControlSummary is one in-scope control of a snapshot.
type ControlSummary struct {
	ID           string
	Title        string
	Score        float64
	MaxScore     float64
	State        string
	StateComment string `json:",omitempty"`
	Deprecated   bool
	Open         bool
	Facts        ControlFacts
	// StateUpdates are Graph's record of the control's states, for the store.
	StateUpdates []StateUpdate `json:",omitempty"`
}

// StateUpdate is one entry of a control's controlStateUpdates.
type StateUpdate struct {
	At      time.Time
	State   string
	By      string
	Comment string
}

// Comparison is one of Graph's averageComparativeScores: the average score,
// in percent, of tenants alike by a basis (AllTenants, TotalSeats, ...).
type Comparison struct {
	Basis        string
	AverageScore float64
}

// DeliveryReport says what a sweep did with its snapshot.
type DeliveryReport struct {
	Started []string // control IDs whose workflow this sweep started
	Fed     []string // running workflows that received the observation
	Closed  []string // running workflows told their control is no longer open
	// Unchanged are running workflows that have what this sweep saw of their
	// control already: nothing was delivered to them.
	Unchanged []string `json:",omitempty"`
}

// SweepResult is the outcome of one tenant's sweep, printed by `starter sweep`.
type SweepResult struct {
	TenantID       string
	TakenAt        time.Time
	InScope        int
	Open           []string
	GraphRequests  int
	UnseenProducts []string `json:",omitempty"`
	DeliveryReport
}
