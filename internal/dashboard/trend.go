package dashboard

import (
	"cmp"
	"encoding/json"
	"net/http"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// trendPoint is a day of the trend chart.
type trendPoint struct {
	Day     string  `json:"day"`
	Score   float64 `json:"score"`
	Max     float64 `json:"max"`
	Percent float64 `json:"percent"`
}

// trendMarker marks a day scoreflow changed something.
type trendMarker struct {
	Day   string `json:"day"`
	Label string `json:"label"`
}

// markedSteps are the steps the chart marks, what changed the tenant's
// security, and the ids of their labels.
var markedSteps = map[lifecycle.Stage]string{
	lifecycle.StageAwaitingDetection: "dashboard.trend.rfc_implemented",
	lifecycle.StageRiskAccepted:      "dashboard.trend.risk_accepted",
}

// trend is the data of a tenant's 12-month chart.
func (s *Server) trend(w http.ResponseWriter, r *http.Request, _ Viewer, t config.Tenant) {
	since := s.now().AddDate(-1, 0, 0)
	days, err := s.data.Days(r.Context(), t.ID, since)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	steps, err := s.data.Transitions(r.Context(), t.ID, since)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	controls, err := s.data.Controls(r.Context(), t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	titles := map[string]string{}
	for _, c := range controls {
		titles[c.ControlID] = c.Title
	}
	body := struct {
		Days    []trendPoint  `json:"days"`
		Markers []trendMarker `json:"markers"`
	}{Days: []trendPoint{}, Markers: []trendMarker{}}
	for _, d := range days {
		body.Days = append(body.Days, trendPoint{Day: d.Day.Format("2006-01-02"), Score: d.CurrentScore, Max: d.MaxScore, Percent: d.Percent()})
	}
	words := texts.For(t.Language)
	for _, step := range steps {
		if label, marked := markedSteps[step.To]; marked && step.From != step.To {
			body.Markers = append(body.Markers, trendMarker{Day: step.At.UTC().Format("2006-01-02"),
				Label: words.T(label, "Control", cmp.Or(titles[step.ControlID], step.ControlID))})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, no-store")
	_ = json.NewEncoder(w).Encode(body)
}
