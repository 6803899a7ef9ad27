package sim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"time"
)

// openIDConfiguration is the authority's metadata MSAL reads before asking
// for a token (azidentity with instance discovery disabled reads only this).
func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	base := s.srv.URL + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/v2.0",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"jwks_uri":                              s.srv.URL + "/common/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"tenant_region_scope":                   "EU",
	})
}

// token implements the client credentials grant with a secret or a signed client assertion.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request", "AADSTS900144: malformed body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tenant := s.tenants[r.PathValue("tenant")]
	if tenant == nil {
		oauthError(w, "invalid_tenant", "AADSTS90002: Tenant not found.")
		return
	}
	form := r.PostForm
	if form.Get("grant_type") != "client_credentials" || form.Get("client_id") != tenant.ClientID {
		oauthError(w, "unauthorized_client", "AADSTS700016: Application not found in the directory.")
		return
	}
	if !hasDefaultScope(form.Get("scope")) {
		oauthError(w, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.")
		return
	}
	switch {
	case form.Get("client_secret") != "":
		if form.Get("client_secret") != tenant.ClientSecret {
			oauthError(w, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
			return
		}
	case form.Get("client_assertion") != "":
		if err := verifyAssertion(form.Get("client_assertion"), tenant, s.now()); err != nil {
			oauthError(w, "invalid_client", "AADSTS700027: "+err.Error())
			return
		}
	default:
		oauthError(w, "invalid_client", "AADSTS7000218: The request body must contain client_assertion or client_secret.")
		return
	}
	s.tokenClients[tenant.AzureTenantID] = append(s.tokenClients[tenant.AzureTenantID], tenant.ClientID)
	expires := s.now().Add(time.Hour)
	accessToken := s.accessToken(tenant, expires)
	s.tokens[accessToken] = tokenInfo{tenant: tenant.AzureTenantID, expires: expires}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": accessToken,
	})
}

// accessToken is a JWT as Entra ID issues for an app: its "roles" claim
// names the application permissions the tenant's admin consented to. Graph
// (this simulator) knows its tokens by their text; its signature is random.
func (s *Server) accessToken(tenant *Tenant, expires time.Time) string {
	roles := tenant.Roles
	if roles == nil {
		roles = []string{"SecurityEvents.ReadWrite.All"}
	}
	header, _ := json.Marshal(map[string]string{"typ": "JWT", "alg": "RS256"})
	claims, _ := json.Marshal(map[string]any{
		"aud": strings.TrimSuffix(s.GraphURL(), "/v1.0"), "iss": "https://sts.windows.net/" + tenant.AzureTenantID + "/",
		"tid": tenant.AzureTenantID, "appid": tenant.ClientID, "roles": roles, "exp": expires.Unix(),
	})
	signature := make([]byte, 32)
	_, _ = rand.Read(signature)
	encode := base64.RawURLEncoding.EncodeToString
	return encode(header) + "." + encode(claims) + "." + encode(signature)
}

// hasDefaultScope accepts a resource's "/.default" among the space-separated
// scopes; MSAL adds openid, profile and offline_access to every request.
func hasDefaultScope(scope string) bool {
	for _, s := range strings.Fields(scope) {
		if strings.HasSuffix(s, "/.default") {
			return true
		}
	}
	return false
}

func oauthError(w http.ResponseWriter, code, description string) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{"error": code, "error_description": description})
}

// verifyAssertion checks a certificate credential's JWT: signed by the
// registered certificate's key, issued by the app, not expired.
func verifyAssertion(assertion string, tenant *Tenant, now time.Time) error {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return errors.New("client assertion is not a JWT")
	}
	var header struct{ Alg string }
	var claims struct {
		Iss, Sub string
		Exp      int64
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return err
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return err
	}
	block, _ := pem.Decode(tenant.CertificatePEM)
	if block == nil {
		return errors.New("no certificate is registered for this application")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return err
	}
	key, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return errors.New("registered certificate has no RSA key")
	}
	signature, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return err
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch header.Alg {
	case "RS256":
		err = rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], signature)
	case "PS256":
		err = rsa.VerifyPSS(key, crypto.SHA256, digest[:], signature, nil)
	default:
		err = errors.New("unsupported signing algorithm " + header.Alg)
	}
	if err != nil {
		return errors.New("signature does not match the registered certificate")
	}
	if claims.Iss != tenant.ClientID || claims.Sub != tenant.ClientID {
		return errors.New("assertion is not issued by the application")
	}
	if now.Unix() > claims.Exp {
		return errors.New("assertion has expired")
	}
	return nil
}

func decodeSegment(segment string, into any) error {
	raw, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, into)
}
