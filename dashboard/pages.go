package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"day":     func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
	"instant": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"points":  points,
	"percent": func(p float64) string { return fmt.Sprintf("%.1f %%", p) },
	"signed":  func(p float64) string { return fmt.Sprintf("%+.1f", p) },
	"stage":   func(s lifecycle.Stage) string { return stageNames[s] },
}).ParseFS(templateFiles, "templates/*.html"))

// stageNames are the stages as a customer reads them.
var stageNames = map[lifecycle.Stage]string{
	lifecycle.StageDetected: "new", lifecycle.StageTriage: "triage", lifecycle.StageAssessment: "impact assessment",
	lifecycle.StageAwaitingDecision: "awaiting your decision", lifecycle.StageRFC: "change request", lifecycle.StagePlanned: "planned",
	lifecycle.StageAwaitingDetection: "awaiting Microsoft's detection", lifecycle.StageCompleted: "completed",
	lifecycle.StageRiskAccepted: "risk accepted", lifecycle.StageResolvedAlternate: "resolved by an alternative",
	lifecycle.StageResolvedThirdParty: "resolved by a third party", lifecycle.StageResolvedExternally: "resolved outside scoreflow",
	lifecycle.StageWithdrawn: "withdrawn",
}

// pageData is what every page has: its title and who is signed in.
type pageData struct {
	Title   string
	Viewer  *Viewer
	Message string
	Content any
}

// render writes a page whole or, failing, an error: a page is rendered
// into a buffer first, so a failure never sends half of one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		s.logger.Error().Err(err).Str("page", name).Msg("rendering a dashboard page")
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

// fail answers a request the dashboard could not serve, such as while the
// store is down, with a page that says so; the details go to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.logger.Error().Err(err).Str("path", r.URL.Path).Msg("dashboard request failed")
	s.render(w, r, http.StatusServiceUnavailable, "unavailable", pageData{Title: "Temporarily unavailable",
		Message: "scoreflow cannot read its history right now. The lifecycle goes on; please try again in a few minutes."})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "notfound", pageData{Title: "Not found"})
}

// home is the MSP's overview, or a customer's own tenant.
func (s *Server) home(w http.ResponseWriter, r *http.Request, v Viewer) {
	if !v.MSP {
		if visible := v.Tenants(s.cfg); len(visible) == 1 {
			http.Redirect(w, r, "/tenants/"+visible[0].ID, http.StatusSeeOther)
			return
		}
	}
	s.overview(w, r, v)
}
