package dashboard

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy allows the dashboard's own files only: no inline
// script or style, no other origin, no framing, and forms that post to the
// dashboard alone.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// hsts keeps browsers on HTTPS for a year once they have seen the
// dashboard there.
const hsts = "max-age=31536000"

// securityHeaders sets the headers every answer carries; Strict-Transport-
// Security only where browsers reach the dashboard over HTTPS (public_url).
func securityHeaders(baseURL string, next http.Handler) http.Handler {
	https := strings.HasPrefix(baseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if https {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}
