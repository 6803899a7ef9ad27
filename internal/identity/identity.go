// Package identity says who a Microsoft account that signed in is to
// scoreflow, from the claims of its verified ID token: the MSP's staff, a
// person of a customer's directory, and whether either is a guest there.
// The dashboard, the Web UI and the codec endpoint decide with it alike.
package identity

import (
	"slices"
	"strings"
)

// Claims are the ID token's claims scoreflow reads. A person is known by
// their directory (tid) and object id there (oid), never by e-mail address.
type Claims struct {
	Issuer   string   `json:"iss"`
	TenantID string   `json:"tid"`
	ObjectID string   `json:"oid"`
	Name     string   `json:"name"`
	Groups   []string `json:"groups"`
	Roles    []string `json:"roles"`
	// Acct is Entra's optional claim of the account's type in the
	// directory: 0 a member, 1 a guest.
	Acct *int `json:"acct"`
	// IDP names who authenticated the person when it was not the
	// directory itself: a guest's home directory, or a Microsoft account.
	IDP string `json:"idp"`
}

// guestAccount is the acct claim's value for a guest.
const guestAccount = 1

// Guest reports whether the account is a guest of the directory that
// issued the token: its acct claim says so, or another identity provider
// than the directory signed it in (Entra writes idp only then).
func (c Claims) Guest() bool {
	if c.Acct != nil && *c.Acct == guestAccount {
		return true
	}
	return c.IDP != "" && !strings.Contains(c.IDP, c.TenantID)
}

// Staff is who the MSP's staff are: members (not guests) of its directory
// in its group (a group's object id) or with its app role; with both set,
// in the group and with the role. Without either, no one is.
type Staff struct {
	TenantID string
	Group    string
	Role     string
}

// Includes reports whether the claims are of one of the MSP's staff.
func (s Staff) Includes(c Claims) bool {
	if s.TenantID == "" || c.TenantID != s.TenantID || c.Guest() || (s.Group == "" && s.Role == "") {
		return false
	}
	return (s.Group == "" || slices.Contains(c.Groups, s.Group)) && (s.Role == "" || slices.Contains(c.Roles, s.Role))
}
