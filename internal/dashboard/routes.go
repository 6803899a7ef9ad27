package dashboard

import (
	"net/http"
	"net/url"

	"github.com/scoreflow/scoreflow/internal/config"
)

// access is who may ask for a route.
type access int

const (
	anyone   access = iota // the sign-in itself and the static files
	signedIn               // anyone signed in; the page shows what they may see
	ofTenant               // a tenant's page or data: its own people and the MSP's staff; anyone else gets 404
	ofStaff                // the MSP's fleet: its staff only; anyone else gets 404
)

// route is one of the dashboard's URLs, with one handler of the three
// kinds: the kind says who may ask, and what a handler is given is what
// its check found, so a new route cannot skip the check (the
// tenant-isolation test enumerates routes()).
type route struct {
	pattern string
	public  http.HandlerFunc                                                // anyone
	viewer  func(http.ResponseWriter, *http.Request, Viewer)                // signedIn
	tenant  func(http.ResponseWriter, *http.Request, Viewer, config.Tenant) // ofTenant
	staff   func(http.ResponseWriter, *http.Request, Viewer)                // ofStaff
}

func (r route) access() access {
	switch {
	case r.staff != nil:
		return ofStaff
	case r.tenant != nil:
		return ofTenant
	case r.viewer != nil:
		return signedIn
	}
	return anyone
}

const callbackPath = "/signin/callback"

func (s *Server) routes() []route {
	return []route{
		{pattern: "GET /static/", public: staticFiles()},
		{pattern: "GET /signin", public: s.startSignIn},
		{pattern: "GET " + callbackPath, public: s.finishSignIn},
		{pattern: "POST /signout", public: s.signOut},
		{pattern: "GET /{$}", viewer: s.home},
		{pattern: "GET /tenants/{tenant}", tenant: s.tenantPage},
		{pattern: "GET /tenants/{tenant}/report", tenant: s.reportPage},
		{pattern: "GET /tenants/{tenant}/trend.json", tenant: s.trend},
		{pattern: "POST /tenants/{tenant}/decisions/{control}", tenant: s.decide},
		{pattern: "POST /tenants/{tenant}/alerts/{day}/acknowledge", tenant: s.acknowledgeAlert},
		{pattern: "GET /controls", staff: s.controls},
		{pattern: "GET /controls/{control}", staff: s.control},
		{pattern: "POST /controls/{control}/bulk/preview", staff: s.previewBulk},
		{pattern: "POST /controls/{control}/bulk", staff: s.startBulk},
	}
}

// Handler is the dashboard: its routes behind the checks of who asks,
// sessions, protection against cross-origin requests, and the security
// headers.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.Handle(r.pattern, s.guard(r))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	protection := http.NewCrossOriginProtection()
	return securityHeaders(s.cfg.Dashboard.BaseURL(), protection.Handler(s.sessions.LoadAndSave(mux)))
}

// guard gives a route the check its access asks for.
func (s *Server) guard(r route) http.Handler {
	switch r.access() {
	case signedIn:
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if v, ok := s.viewer(w, req); ok {
				r.viewer(w, req, v)
			}
		})
	case ofStaff:
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			v, ok := s.viewer(w, req)
			if !ok {
				return
			}
			if !v.MSP {
				// As for any page that does not exist: a customer learns
				// nothing of the fleet, not even that its pages are there.
				s.notFound(w, req)
				return
			}
			r.staff(w, req, v)
		})
	case ofTenant:
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			v, ok := s.viewer(w, req)
			if !ok {
				return
			}
			t, known := s.cfg.Tenant(req.PathValue("tenant"))
			if !known || !v.CanSee(t) {
				// The same answer for a tenant that does not exist and one
				// the viewer may not see: not even its existence leaks.
				s.notFound(w, req)
				return
			}
			r.tenant(w, req, v, t)
		})
	default:
		return r.public
	}
}

// viewer is who is signed in; anyone else is sent to sign in, and has
// been answered when ok is false.
func (s *Server) viewer(w http.ResponseWriter, r *http.Request) (Viewer, bool) {
	v, ok := viewerOf(r.Context(), s.sessions)
	if ok && !v.mustSignInAgain(s.cfg.Dashboard, s.now()) {
		return v, true
	}
	if r.Method == http.MethodGet && r.Header.Get("Accept") != "application/json" {
		// The way back rides in the URL: a visit that is not signed in
		// stores nothing on the server.
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	} else {
		http.Error(w, "sign in first", http.StatusUnauthorized)
	}
	return Viewer{}, false
}
