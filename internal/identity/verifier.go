package identity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
)

// StaffVerifier checks that a request comes from the MSP's staff: it
// carries an ID token of the MSP's directory, issued to an app of the MSP's
// (the Web UI's), and the person is staff. The Web UI's codec calls and API
// calls are checked with it.
type StaffVerifier struct {
	issuer   string
	clientID string
	staff    Staff
	client   *http.Client

	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier // from the issuer's discovery, at the first check
}

// Errors of a check: no or a bad token is 401, a good one not of staff 403.
var (
	ErrNoToken  = errors.New("no ID token: sign in to the Temporal Web UI first")
	ErrNotStaff = errors.New("signed in, but not one of the MSP's staff")
)

// NewStaffVerifier checks tokens of the MSP's directory: the issuer is
// authority (dashboard.authority, Entra's multi-tenant endpoint) with the
// directory's id in place of "organizations" or "common".
func NewStaffVerifier(authority, clientID string, staff Staff, client *http.Client) *StaffVerifier {
	return &StaffVerifier{issuer: DirectoryIssuer(authority, staff.TenantID), clientID: clientID, staff: staff, client: client}
}

// DirectoryIssuer is the issuer of one directory's tokens at an Entra
// authority such as https://login.microsoftonline.com/organizations/v2.0.
func DirectoryIssuer(authority, directory string) string {
	for _, multi := range []string{"/organizations/", "/common/"} {
		if strings.Contains(authority, multi) {
			return strings.Replace(authority, multi, "/"+directory+"/", 1)
		}
	}
	return authority
}

// Issuer is the MSP's directory's issuer.
func (v *StaffVerifier) Issuer() string { return v.issuer }

// Check verifies a raw ID token and returns its claims if it is staff's.
func (v *StaffVerifier) Check(ctx context.Context, raw string) (Claims, error) {
	if raw == "" {
		return Claims{}, ErrNoToken
	}
	verifier, err := v.discover(ctx)
	if err != nil {
		return Claims{}, err
	}
	token, err := verifier.Verify(ctx, raw)
	if err != nil {
		return Claims{}, fmt.Errorf("the ID token: %w", err)
	}
	var claims Claims
	if err := token.Claims(&claims); err != nil {
		return Claims{}, fmt.Errorf("the ID token's claims: %w", err)
	}
	if !v.staff.Includes(claims) {
		return claims, ErrNotStaff
	}
	return claims, nil
}

// Authorize checks a request's ID token and returns 0, or the status to
// refuse the request with. The Web UI sends the token in
// Authorization-Extras (its Authorization holds an access token for
// Microsoft Graph, not for scoreflow) to an https codec endpoint, or lets
// the browser send its own cookies (includeCredentials) to one on its host;
// a caller may also send the token as the bearer token itself.
func (v *StaffVerifier) Authorize(r *http.Request) (int, error) {
	raw := r.Header.Get("Authorization-Extras")
	if raw == "" {
		raw = WebUIToken(r)
	}
	if raw == "" {
		raw, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	switch _, err := v.Check(r.Context(), strings.TrimSpace(raw)); {
	case err == nil:
		return 0, nil
	case errors.Is(err, ErrNotStaff):
		return http.StatusForbidden, err
	default:
		return http.StatusUnauthorized, err
	}
}

func (v *StaffVerifier) discover(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.verifier != nil {
		return v.verifier, nil
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, v.client), v.issuer)
	if err != nil {
		return nil, fmt.Errorf("discovering %s: %w", v.issuer, err)
	}
	// The verifier's key set outlives this request: it fetches the
	// directory's signing keys again when a token names a new one.
	v.verifier = provider.VerifierContext(oidc.ClientContext(context.Background(), v.client), &oidc.Config{ClientID: v.clientID})
	return v.verifier, nil
}

// WebUIToken is the ID token in the Temporal Web UI's own cookies on a
// request: the UI server keeps the signed-in person's tokens in user0,
// user1, … (base64 JSON, split to fit), which the browser sends to any port
// of the UI's host; "" when there is none.
func WebUIToken(r *http.Request) string {
	var joined strings.Builder
	for i := 0; ; i++ {
		part, err := r.Cookie("user" + strconv.Itoa(i))
		if err != nil {
			break
		}
		joined.WriteString(part.Value)
	}
	raw, err := base64.StdEncoding.DecodeString(joined.String())
	if err != nil {
		return ""
	}
	var user struct {
		IDToken string `json:"IDToken"`
	}
	if json.Unmarshal(raw, &user) != nil {
		return ""
	}
	return user.IDToken
}
