package config

// Alerts is how the MSP learns that a tenant's Secure Score fell
// (docs/operations.md, "Score-drop alerts").
type Alerts struct {
	// ScoreDrop is how many points a tenant's score must fall from one
	// recorded day to the next to raise an alert; a regression of a
	// completed control raises one whatever it costs.
	ScoreDrop float64 `yaml:"score_drop"`
	// SlackChannel is the MSP's own channel for alerts; empty: alerts go
	// to the tenants' Jira projects and the dashboard only.
	SlackChannel string `yaml:"slack_channel"`
}

// DefaultScoreDrop is alerts.score_drop's default, in points.
const DefaultScoreDrop = 2.0

func (a Alerts) validate(v *validation) {
	if a.ScoreDrop <= 0 {
		v.add("alerts.score_drop", "want a number of points above 0 (default %g), got %g", DefaultScoreDrop, a.ScoreDrop)
	}
}
