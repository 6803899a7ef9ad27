package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/identity"
)

// "Sign in with Microsoft": the OpenID Connect authorization code flow with
// PKCE against Entra ID's multi-tenant endpoint. Its discovery names the
// issuer as a template ({tenantid}); each ID token is verified against the
// issuer of its own directory, then its directory must be the MSP's or a
// configured tenant's.

// The session's keys of a sign-in under way.
const (
	keyState    = "signin.state"
	keyNonce    = "signin.nonce"
	keyVerifier = "signin.verifier"
	keyNext     = "signin.next"
)

// provider is what discovery tells of the authority.
type provider struct {
	endpoint       oauth2.Endpoint
	issuerTemplate string
	keys           *oidc.RemoteKeySet
}

// signIn runs the flow. Discovery happens at the first sign-in, and again
// after a failure, so the worker starts while Entra ID is unreachable.
type signIn struct {
	cfg    config.Dashboard
	client *http.Client // trusts dashboard.ca_file, if set

	mu       sync.Mutex
	provider *provider
}

func (a *signIn) context(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, a.client)
}

func (a *signIn) discover(ctx context.Context) (*provider, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.provider != nil {
		return a.provider, nil
	}
	// The multi-tenant endpoint's issuer is a template, not its own URL:
	// accepted here, because each token's issuer is checked below against
	// the template filled with the token's directory.
	discovered, err := oidc.NewProvider(oidc.InsecureIssuerURLContext(a.context(ctx), a.cfg.Authority), a.cfg.Authority)
	if err != nil {
		return nil, fmt.Errorf("discovering the OpenID provider %s: %w", a.cfg.Authority, err)
	}
	var metadata struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := discovered.Claims(&metadata); err != nil {
		return nil, err
	}
	if metadata.Issuer == "" || metadata.JWKSURI == "" {
		return nil, fmt.Errorf("the OpenID provider %s names no issuer or keys", a.cfg.Authority)
	}
	a.provider = &provider{endpoint: discovered.Endpoint(), issuerTemplate: metadata.Issuer,
		keys: oidc.NewRemoteKeySet(a.context(context.WithoutCancel(ctx)), metadata.JWKSURI)}
	return a.provider, nil
}

func (a *signIn) oauth(p *provider) *oauth2.Config {
	return &oauth2.Config{ClientID: a.cfg.ClientID, ClientSecret: a.cfg.ClientSecret.Reveal(), Endpoint: p.endpoint,
		RedirectURL: a.cfg.BaseURL() + callbackPath, Scopes: []string{oidc.ScopeOpenID, "profile"}}
}

// authCodeURL starts a sign-in: the state, nonce and PKCE verifier it
// needs back are kept in the session.
func (a *signIn) authCodeURL(ctx context.Context, session *scs.SessionManager) (string, error) {
	p, err := a.discover(ctx)
	if err != nil {
		return "", err
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	session.Put(ctx, keyState, state)
	session.Put(ctx, keyNonce, nonce)
	session.Put(ctx, keyVerifier, verifier)
	return a.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// errSignInRefused is an answer to show the person signing in, not a fault of scoreflow's.
var errSignInRefused = errors.New("sign-in refused")

// finish redeems the code and verifies the ID token: signature, issuer of
// its own directory, audience, expiry and the nonce of this sign-in, which
// is used up here, so a replayed answer finds none.
func (a *signIn) finish(ctx context.Context, session *scs.SessionManager, r *http.Request) (identity.Claims, error) {
	state, nonce, verifier := session.PopString(ctx, keyState), session.PopString(ctx, keyNonce), session.PopString(ctx, keyVerifier)
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(r.URL.Query().Get("state"))) != 1 {
		return identity.Claims{}, fmt.Errorf("%w: this sign-in is unknown, expired or already used", errSignInRefused)
	}
	if failure := r.URL.Query().Get("error"); failure != "" {
		return identity.Claims{}, fmt.Errorf("%w: Microsoft answered %s: %s", errSignInRefused, failure, r.URL.Query().Get("error_description"))
	}
	p, err := a.discover(ctx)
	if err != nil {
		return identity.Claims{}, err
	}
	token, err := a.oauth(p).Exchange(a.context(ctx), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return identity.Claims{}, fmt.Errorf("%w: redeeming the sign-in's code: %w", errSignInRefused, err)
	}
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return identity.Claims{}, fmt.Errorf("%w: no ID token came with the sign-in", errSignInRefused)
	}
	directory, err := unverifiedDirectory(raw)
	if err != nil {
		return identity.Claims{}, fmt.Errorf("%w: %w", errSignInRefused, err)
	}
	issuer := strings.ReplaceAll(p.issuerTemplate, "{tenantid}", directory)
	idToken, err := oidc.NewVerifier(issuer, p.keys, &oidc.Config{ClientID: a.cfg.ClientID}).Verify(a.context(ctx), raw)
	if err != nil {
		return identity.Claims{}, fmt.Errorf("%w: the ID token: %w", errSignInRefused, err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(nonce)) != 1 {
		return identity.Claims{}, fmt.Errorf("%w: the ID token is not this sign-in's (nonce)", errSignInRefused)
	}
	var claims identity.Claims
	if err := idToken.Claims(&claims); err != nil {
		return identity.Claims{}, fmt.Errorf("%w: the ID token's claims: %w", errSignInRefused, err)
	}
	if claims.TenantID != directory || claims.ObjectID == "" {
		return identity.Claims{}, fmt.Errorf("%w: the ID token names no directory or person", errSignInRefused)
	}
	return claims, nil
}

// unverifiedDirectory reads the tid claim of a token before its signature
// is checked, only to choose the issuer to check it against.
func unverifiedDirectory(raw string) (string, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", errors.New("the ID token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("the ID token's payload: %w", err)
	}
	var claims struct {
		TenantID string `json:"tid"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.TenantID == "" || strings.ContainsAny(claims.TenantID, "/{}") {
		return "", errors.New("the ID token names no directory (tid)")
	}
	return claims.TenantID, nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
