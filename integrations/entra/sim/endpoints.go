package sim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// discovery answers as Entra's v2.0 endpoints do: for "organizations" (or
// "common") the issuer is a template with {tenantid}, for a directory its own.
func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	issuer := s.Issuer(tenant)
	if tenant == "organizations" || tenant == "common" {
		issuer = s.Issuer("{tenantid}")
	}
	base := s.srv.URL + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"code_challenge_methods_supported":      []string{"S256"},
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "tid", "oid", "name", "preferred_username"},
	})
}

func (s *Server) keys(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{s.jwk()}})
}

// authorizeRequest is what an app sends to the authorize endpoint.
type authorizeRequest struct {
	ClientID, RedirectURI, State, Nonce, Challenge string
}

// readAuthorize checks an authorization request as Entra does; on an error
// it has answered.
func (s *Server) readAuthorize(w http.ResponseWriter, form url.Values) (authorizeRequest, bool) {
	a := authorizeRequest{ClientID: form.Get("client_id"), RedirectURI: form.Get("redirect_uri"), State: form.Get("state"),
		Nonce: form.Get("nonce"), Challenge: form.Get("code_challenge")}
	s.mu.Lock()
	client, known := s.clients[a.ClientID]
	s.mu.Unlock()
	switch {
	case !known:
		http.Error(w, "AADSTS700016: application "+a.ClientID+" was not found in the directory", http.StatusBadRequest)
	case !slices.Contains(client.RedirectURIs, a.RedirectURI):
		http.Error(w, "AADSTS50011: the redirect URI "+a.RedirectURI+" does not match the app's", http.StatusBadRequest)
	case form.Get("response_type") != "code":
		http.Error(w, "AADSTS70005: response_type must be code", http.StatusBadRequest)
	case !slices.Contains(strings.Fields(form.Get("scope")), "openid"):
		http.Error(w, "AADSTS90014: the scope must include openid", http.StatusBadRequest)
	case a.Challenge != "" && form.Get("code_challenge_method") != "S256":
		// A web app with a secret may leave PKCE out, as Entra allows; one
		// that sends a challenge must send it as S256.
		http.Error(w, "AADSTS9002325: Proof Key for Code Exchange (S256) is required", http.StatusBadRequest)
	default:
		return a, true
	}
	return a, false
}

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account (simulated Microsoft Entra ID)</title></head>
<body><h1>Pick an account</h1><p>Simulated Microsoft Entra ID: choose who signs in.</p>
{{range $i, $u := .Users}}<form method="post">
<input type="hidden" name="client_id" value="{{$.Request.ClientID}}"><input type="hidden" name="redirect_uri" value="{{$.Request.RedirectURI}}">
<input type="hidden" name="state" value="{{$.Request.State}}"><input type="hidden" name="nonce" value="{{$.Request.Nonce}}">
<input type="hidden" name="code_challenge" value="{{$.Request.Challenge}}"><input type="hidden" name="code_challenge_method" value="S256">
<input type="hidden" name="response_type" value="code"><input type="hidden" name="scope" value="openid">
<input type="hidden" name="user" value="{{$i}}">
<button type="submit" id="user-{{$i}}">{{$u.Name}} ({{$u.Username}})</button></form>
{{end}}</body></html>`))

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.readAuthorize(w, r.URL.Query())
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = loginTemplate.Execute(w, map[string]any{"Users": s.Users(), "Request": a})
}

// signIn takes the picked user and sends the browser back with a code.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a, ok := s.readAuthorize(w, r.PostForm)
	if !ok {
		return
	}
	users := s.Users()
	i, err := strconv.Atoi(r.PostForm.Get("user"))
	if err != nil || i < 0 || i >= len(users) {
		http.Error(w, "no such account", http.StatusBadRequest)
		return
	}
	code := randomString()
	s.mu.Lock()
	s.codes[code] = grant{user: users[i], clientID: a.ClientID, redirectURI: a.RedirectURI, nonce: a.Nonce,
		challenge: a.Challenge, expires: s.now().Add(10 * time.Minute)}
	s.mu.Unlock()
	back, _ := url.Parse(a.RedirectURI)
	q := back.Query()
	q.Set("code", code)
	q.Set("state", a.State)
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token redeems a code once, for the app it was issued to with its secret,
// and with the PKCE verifier that matches its challenge when it had one.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request", err.Error())
		return
	}
	clientID, secret, basic := r.BasicAuth()
	if !basic {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	client, known := s.clients[clientID]
	code := r.PostForm.Get("code")
	g, issued := s.codes[code]
	delete(s.codes, code) // a code is good once, whatever comes of it
	s.mu.Unlock()
	challenge := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case !known || subtle.ConstantTimeCompare([]byte(secret), []byte(client.Secret)) != 1:
		oauthError(w, "invalid_client", "AADSTS7000215: invalid client secret")
	case r.PostForm.Get("grant_type") != "authorization_code":
		oauthError(w, "unsupported_grant_type", "only authorization_code")
	case !issued || g.clientID != clientID || s.now().After(g.expires):
		oauthError(w, "invalid_grant", "AADSTS70008: the code is unknown, used or expired")
	case g.redirectURI != r.PostForm.Get("redirect_uri"):
		oauthError(w, "invalid_grant", "AADSTS50011: the redirect URI differs from the authorization request's")
	case g.challenge != "" && base64.RawURLEncoding.EncodeToString(challenge[:]) != g.challenge:
		oauthError(w, "invalid_grant", "AADSTS501481: the code verifier does not match the code challenge")
	default:
		idToken, err := s.idToken(g)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "scope": "openid profile", "expires_in": 3600,
			"access_token": randomString(), "id_token": idToken})
	}
}

func oauthError(w http.ResponseWriter, code, description string) {
	status := http.StatusBadRequest
	if code == "invalid_client" {
		status = http.StatusUnauthorized
	}
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
