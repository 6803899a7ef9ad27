package graph

import (
	"slices"
	"strings"
)

// productServices maps the product names a tenant's `products` may use to
// the values Microsoft puts in secureScoreControlProfile.service, as a real
// tenant's 263 profiles showed them (Nov 2025). Other values seen there:
// Azure ATP, MCAS, MIP, AppG, Admincenter, FORMS, SWAY, MDATP (Defender for
// Endpoint, scid_* controls) and one MDA_<app> per SaaS app connected to
// Defender for Cloud Apps; the set is open-ended, so `products` also takes
// raw service values.
var productServices = map[string]string{
	"azuread":           "AzureAD",
	"exchange":          "EXO",
	"sharepoint":        "SPO",
	"defenderforoffice": "MDO",
	"teams":             "MS Teams",
}

// Scope is the set of profile service values a tenant's MSP contract covers.
// Graph's casing of them varies, so they are kept and compared in lower case.
type Scope struct {
	services map[string]bool
	// raw are the configured entries that name no known product: service
	// values as written, which a typo would silently make match nothing.
	raw []string
}

// NewScope turns a tenant's configured products into service values; a name
// that is not a known product is taken as a raw service value.
func NewScope(products []string) Scope {
	scope := Scope{services: map[string]bool{}}
	for _, p := range products {
		service, known := productServices[strings.ToLower(p)]
		if !known {
			service = p
			scope.raw = append(scope.raw, p)
		}
		scope.services[strings.ToLower(service)] = true
	}
	return scope
}

// Covers reports whether a profile's service is in scope.
func (s Scope) Covers(service string) bool { return s.services[strings.ToLower(service)] }

// Services lists the service values in scope, sorted, for the log.
func (s Scope) Services() []string {
	var out []string
	for _, known := range productServices {
		if s.services[strings.ToLower(known)] {
			out = append(out, known)
		}
	}
	for _, raw := range s.raw {
		if !slices.Contains(out, raw) {
			out = append(out, raw)
		}
	}
	slices.Sort(out)
	return out
}

// Unseen lists the configured entries that are neither a known product nor
// the service of any of these controls (a tenant's profiles): most likely a
// typo, narrowing the scope without a word.
func (s Scope) Unseen(controls []Control) []string {
	seen := map[string]bool{}
	for _, c := range controls {
		seen[strings.ToLower(c.Service)] = true
	}
	var out []string
	for _, raw := range s.raw {
		if !seen[strings.ToLower(raw)] {
			out = append(out, raw)
		}
	}
	return out
}
