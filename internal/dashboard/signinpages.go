package dashboard

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/internal/logging"
)

// signInWindow is how long a sign-in under way may take: its session
// holds nothing else and goes after it. Session deadlines are on the
// session store's clock, the real one.
const signInWindow = 10 * time.Minute

// startSignIn sends the browser to Microsoft with a fresh sign-in.
func (s *Server) startSignIn(w http.ResponseWriter, r *http.Request) {
	target, err := s.signIn.authCodeURL(r.Context(), s.sessions)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), keyNext, localPath(r.URL.Query().Get("next")))
	if _, signedIn := viewerOf(r.Context(), s.sessions); !signedIn {
		s.sessions.SetDeadline(r.Context(), time.Now().Add(signInWindow))
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// finishSignIn takes Microsoft's answer: a person of the MSP or of a
// configured tenant gets a new session; anyone else a page saying why, and none.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request) {
	claims, err := s.signIn.finish(r.Context(), s.sessions, r)
	if errors.Is(err, errSignInRefused) {
		logging.Write(s.logger.Warn().Err(err), "log.dashboard.signin_refused")
		s.render(w, r, http.StatusBadRequest, "refused", pageData{Title: "Sign-in failed", Message: err.Error()})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	viewer, known := identify(s.cfg.Dashboard, s.cfg.Tenants, claims, s.now())
	if !known {
		// A session from before (a staff member's, now out of the group)
		// ends here rather than lingering until its deadline.
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
		logging.Write(s.logger.Warn().Str("tid", claims.TenantID).Str("oid", claims.ObjectID), "log.dashboard.signin_unknown_directory")
		s.render(w, r, http.StatusForbidden, "refused", pageData{Title: "Not a directory scoreflow serves",
			Message: "You signed in with an account of directory " + claims.TenantID + ", which is not one of the tenants this MSP " +
				"serves, or you are not among its dashboard's viewers. Ask your MSP to add you."})
		return
	}
	next := s.sessions.PopString(r.Context(), keyNext)
	// A new token at sign-in: a session fixed before it is worth nothing after.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	viewer.save(r.Context(), s.sessions)
	s.sessions.SetDeadline(r.Context(), time.Now().Add(s.cfg.Dashboard.SessionLifetime.D()))
	logging.Write(s.logger.Info().Str("tid", viewer.DirectoryID).Str("oid", viewer.ObjectID).Bool("msp", viewer.MSP), "log.dashboard.signin")
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

// localPath is a path on this site to return to after signing in, never another site.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// signOut ends the session on the server.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "signedout", pageData{Title: "Signed out"})
}
