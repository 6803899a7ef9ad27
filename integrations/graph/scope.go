package graph

import "strings"

// productServices maps the product scope names of the config to the values Microsoft
// puts in secureScoreControlProfile.service. "EXO" appears in Microsoft's own
// example response (Graph docs, "Get secureScoreControlProfile"); "AzureAD",
// "SPO" and "MDO" in public response dumps of the list call. The Teams value
// is unconfirmed: check it on a real tenant, and meanwhile a tenant
// may list raw service values in `products` to widen its scope.
var productServices = map[string]string{
	"azuread":           "AzureAD",
	"exchange":          "EXO",
	"sharepoint":        "SPO",
	"defenderforoffice": "MDO",
	"teams":             "MicrosoftTeams",
}

// Scope is the set of profile service values a tenant's MSP contract covers.
type Scope map[string]bool

// NewScope turns a tenant's configured products into service values; a name
// that is not a known product is taken as a raw service value.
func NewScope(products []string) Scope {
	scope := Scope{}
	for _, p := range products {
		if service, ok := productServices[strings.ToLower(p)]; ok {
			scope[strings.ToLower(service)] = true
		} else {
			scope[strings.ToLower(p)] = true
		}
	}
	return scope
}

// Covers reports whether a profile's service is in scope (Graph's casing varies).
func (s Scope) Covers(service string) bool { return s[strings.ToLower(service)] }
