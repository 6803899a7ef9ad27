package lifecycle

import "time"

// A score-drop alert: a tenant's Secure Score fell from one recorded day to
// the next by at least alerts.score_drop points, or a control that was at
// its maximum lost points (a regression). One per tenant per day.

// AlertCheck asks whether a tenant's sweep of a day raises an alert.
type AlertCheck struct {
	TenantID string
	Day      time.Time
}

// ScoreAlert is a tenant's alert of a day.
type ScoreAlert struct {
	TenantID      string
	TenantName    string
	Day           time.Time
	Before, After float64       // the tenant's score the recorded day before, and the day
	Fell          []ControlFall // the controls whose score fell that day
	// Raise: the alert is new, or was not told yet (an activity died before).
	Raise bool
}

// Drop is how many points the score fell.
func (a ScoreAlert) Drop() float64 { return a.Before - a.After }

// ControlFall is a control whose score fell on the alert's day.
type ControlFall struct {
	ControlID, Title string
	Before, After    float64
	Regressed        bool // it was at its maximum before: completed, and now lost
}
