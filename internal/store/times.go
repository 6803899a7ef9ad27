package store

import "time"

// Times are stored as UTC text that sorts as it compares: days as
// YYYY-MM-DD, instants with microseconds always written out.
const (
	dayLayout     = "2006-01-02"
	instantLayout = "2006-01-02T15:04:05.000000Z"
)

func formatDay(t time.Time) string     { return t.UTC().Format(dayLayout) }
func formatInstant(t time.Time) string { return t.UTC().Format(instantLayout) }

func parseDay(s string) (time.Time, error)     { return time.Parse(dayLayout, s) }
func parseInstant(s string) (time.Time, error) { return time.Parse(instantLayout, s) }

// Day is the UTC midnight of a moment's day.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
