package sim

import (
	"cmp"
	"maps"
	"slices"
)

// ScoreChange is a control's score changing on a day in the past: the story
// of a tenant's Secure Score, which the simulator serves as Graph's 90 days
// of secureScores, and the demo seeds before them.
type ScoreChange struct {
	ControlID string
	DaysAgo   int
	Before    float64 // the score until that day
}

// HistoryDays is how many days of secureScores Graph keeps, today included.
const HistoryDays = 90

// ScoresOn are the controls' scores daysAgo days ago (0 is today): today's,
// with every change made since undone, newest first, so a control ends at
// the score it had before the earliest of them.
func (t *Tenant) ScoresOn(daysAgo int) map[string]float64 {
	scores := maps.Clone(t.Scores)
	newestFirst := slices.SortedFunc(slices.Values(t.Story), func(a, b ScoreChange) int { return cmp.Compare(a.DaysAgo, b.DaysAgo) })
	for _, change := range newestFirst {
		if change.DaysAgo < daysAgo {
			scores[change.ControlID] = change.Before
		}
	}
	return scores
}

// Totals are a tenant's Secure Score and its maximum with these scores: the
// sums over its profiles that are not deprecated.
func (t *Tenant) Totals(scores map[string]float64) (current, maximum float64) {
	for _, p := range t.Profiles {
		if !p.Deprecated {
			current += scores[p.ID]
			maximum += p.MaxScore
		}
	}
	return current, maximum
}
