package dashboard

import (
	"net/http"
	"time"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// tenantPage is what a customer sees: the score now and where it is
// heading, the trend, the open recommendations and the last three months' changes.
func (s *Server) tenantPage(w http.ResponseWriter, r *http.Request, v Viewer, t config.Tenant) {
	view, err := s.loadTenant(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	changes, err := s.changesSince(r.Context(), view, s.now().AddDate(0, -3, 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tenant", pageData{Title: t.Name, Viewer: &v, Language: t.Language,
		Message: s.sessions.PopString(r.Context(), keyNotice),
		Content: struct {
			*tenantView
			Changes   []changeRow
			CanDecide bool
		}{view, changes, s.decisions != nil && v.approves(t)}})
}

// reportPage is the report for the regular meeting, made to print on A4:
// the score and trend, the decisions needed, and what changed since the
// last meeting (a week before the next one, or ?since=YYYY-MM-DD).
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, v Viewer, t config.Tenant) {
	since := s.lastMeeting(t)
	if asked := r.URL.Query().Get("since"); asked != "" {
		parsed, err := time.Parse("2006-01-02", asked)
		if err != nil {
			s.render(w, r, http.StatusBadRequest, "refused", pageData{Title: "Bad request", Viewer: &v,
				Message: "since: want a day such as 2026-11-02"})
			return
		}
		since = parsed
	}
	view, err := s.loadTenant(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	changes, err := s.changesSince(r.Context(), view, since)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := texts.For(t.Language).T("dashboard.report.title", "Tenant", t.Name)
	s.render(w, r, http.StatusOK, "report", pageData{Title: title, Viewer: &v, Language: t.Language,
		Content: struct {
			*tenantView
			Since, Printed time.Time
			Changes        []changeRow
		}{view, since, s.now(), changes}})
}

// lastMeeting is the tenant's regular meeting before the latest one that
// has begun: the report covers the week up to today.
func (s *Server) lastMeeting(t config.Tenant) time.Time {
	location, err := time.LoadLocation(s.cfg.Sweep.Timezone)
	if err != nil {
		location = time.UTC
	}
	now := s.now().In(location)
	meeting := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, location)
	for meeting.Weekday() != t.DigestWeekday() || !meeting.Before(now.AddDate(0, 0, -1)) {
		meeting = meeting.AddDate(0, 0, -1)
	}
	return meeting
}
