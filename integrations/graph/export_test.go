package graph

import "net/http"

// LimitTransport exposes the per-tenant limiter to the tests.
func LimitTransport(next http.RoundTripper, n int) http.RoundTripper {
	return newLimitedTransport(next, n)
}
