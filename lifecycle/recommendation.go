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
	// Regression marks a control detected again after a completed run.
	Regression    bool
	PreviousRunID string
}

// RecommendationState is what the state query returns and the starter shows.
type RecommendationState struct {
	TenantID     string
	TenantName   string
	ControlID    string
	ControlTitle string
	Stage        Stage
	Critical     bool
	StageSince   time.Time
	Regression   bool
	// LastObservation is what the latest sweep saw of the control.
	LastObservation *ControlObservation `json:",omitempty"`
}
