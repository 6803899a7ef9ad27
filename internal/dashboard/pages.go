package dashboard

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"

	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/texts"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are the templates in each language, whose functions write the
// language's words, numbers and dates.
var pages = func() map[texts.Language]*template.Template {
	byLanguage := map[texts.Language]*template.Template{}
	for _, l := range texts.Languages {
		byLanguage[l] = template.Must(template.New("").Funcs(pageFuncs(texts.For(l))).ParseFS(templateFiles, "templates/*.html"))
	}
	return byLanguage
}()

func pageFuncs(words *texts.Texts) template.FuncMap {
	return template.FuncMap{
		"t":   words.T,
		"day": words.Date,
		"instant": func(t time.Time) string {
			return words.T("dashboard.instant", "Day", words.Date(t.UTC()), "Time", t.UTC().Format("15:04"))
		},
		"points":  words.Points,
		"percent": words.Percent,
		"signed": func(p float64) string {
			if p >= 0 {
				return "+" + words.Number(p, 1)
			}
			return words.Number(p, 1)
		},
		"stage": words.CustomerStage,
		"token": newFormToken,
		"fleet": words.FleetRecord,
		"decideForm": func(tenantID, controlID string) decideForm {
			return decideForm{ControlID: controlID, Action: "/tenants/" + tenantID + "/decisions/" + controlID}
		},
	}
}

// pageData is what every page has: its title, who is signed in, and the
// language it is in: a tenant's pages are in the tenant's, the rest in English.
type pageData struct {
	Title    string
	Viewer   *Viewer
	Message  string
	Content  any
	Language texts.Language
}

// render writes a page whole or, failing, an error: a page is rendered
// into a buffer first, so a failure never sends half of one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	var b bytes.Buffer
	if !data.Language.Valid() {
		data.Language = texts.English
	}
	if err := pages[data.Language].ExecuteTemplate(&b, name, data); err != nil {
		logging.Write(s.logger.Error().Err(err).Str("page", name), "log.dashboard.render_failed")
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
	logging.Write(s.logger.Error().Err(err).Str("path", r.URL.Path), "log.dashboard.request_failed")
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
