package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// The application permissions scoreflow needs of Microsoft Graph: reading
// Secure Score takes either, writing a control's state the second.
const (
	RoleRead      = "SecurityEvents.Read.All"
	RoleReadWrite = "SecurityEvents.ReadWrite.All"
)

// The MSP's own app sends mail from its mailbox, and reads the mailbox to
// find a mail it sent before (SendMailOnce).
const (
	RoleMailSend      = "Mail.Send"
	RoleMailReadBasic = "Mail.ReadBasic"
)

// Roles asks for a token, as every call does, and returns the application
// permissions it carries (its "roles" claim): the permissions the customer's
// admin consented to. The token is read, never verified: it is the caller's
// own, issued over TLS by the configured authority.
func (c *Client) Roles(ctx context.Context) ([]string, error) {
	token, err := c.credential.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.scope}})
	if err != nil {
		return nil, fmt.Errorf("getting a token: %w", err)
	}
	parts := strings.Split(token.Token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("the access token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("the access token's claims: %w", err)
	}
	var claims struct {
		Roles []string `json:"roles"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, fmt.Errorf("the access token's claims: %w", err)
	}
	return claims.Roles, nil
}

// AdminConsentURL is where a customer's admin consents, for their whole
// directory, to the application permissions the app asks of Graph (Microsoft
// identity platform, "Admin consent": the v2.0 adminconsent endpoint with the
// resource's /.default scope).
func AdminConsentURL(authorityHost, azureTenantID, clientID, graphBaseURL string) (string, error) {
	authority, err := url.Parse(authorityHost)
	if err != nil || authority.Host == "" {
		return "", fmt.Errorf("authority host %q: want https://host/", authorityHost)
	}
	base, err := url.Parse(graphBaseURL)
	if err != nil || base.Host == "" {
		return "", fmt.Errorf("graph base URL %q: want https://host/version", graphBaseURL)
	}
	authority.Path = strings.TrimSuffix(authority.Path, "/") + "/" + url.PathEscape(azureTenantID) + "/v2.0/adminconsent"
	authority.RawQuery = url.Values{"client_id": {clientID}, "scope": {base.Scheme + "://" + base.Host + "/.default"}}.Encode()
	return authority.String(), nil
}
