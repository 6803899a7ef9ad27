// Package sim is a local Microsoft Entra ID for the dashboard's "Sign in with
// Microsoft": HTTPS with a generated certificate, OpenID Connect discovery
// on the multi-tenant ("organizations") endpoint, the signing keys, and the
// authorization code flow with PKCE, with a login page on which to pick one
// of its users. It is a test double for Microsoft's service only.
package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// User is someone who can sign in: a person of a directory (tenant).
type User struct {
	TenantID string // the directory's id: the ID token's tid
	ObjectID string // the person's id in it: oid
	Name     string
	Username string   // preferred_username, an e-mail address
	Groups   []string // group object ids: the groups claim
	Roles    []string // app roles: the roles claim
	// HomeTenantID makes the user a guest of TenantID, invited from this
	// home directory: the ID token says so in its acct and idp claims.
	HomeTenantID string
}

// Client is an app registration that may sign people in.
type Client struct {
	ID           string
	Secret       string
	RedirectURIs []string
}

// Server is a running simulated Entra ID.
type Server struct {
	srv   *httptest.Server
	key   *rsa.PrivateKey
	keyID string
	now   func() time.Time

	mu      sync.Mutex
	users   []User
	clients map[string]Client
	codes   map[string]grant
	alter   []func(*IDTokenClaims) // applied to the next ID tokens, one each
	forge   int                    // how many of the next ID tokens are signed with a key that is not published
}

// grant is an authorization code waiting to be redeemed.
type grant struct {
	user        User
	clientID    string
	redirectURI string
	nonce       string
	challenge   string // PKCE S256 challenge
	expires     time.Time
}

// New starts the simulator with its users and one app registration.
func New(client Client, users ...User) *Server {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err) // the system's random source failed: nothing can run
	}
	s := &Server{key: key, keyID: "sim-signing-key-1", now: time.Now, users: users,
		clients: map[string]Client{client.ID: client}, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", s.keys)
	mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", s.loginPage)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/authorize", s.signIn)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.token)
	s.srv = httptest.NewTLSServer(mux)
	return s
}

// AddClient registers another app, such as the Temporal Web UI's.
func (s *Server) AddClient(client Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[client.ID] = client
}

// Certificate is the simulator's generated TLS certificate.
func (s *Server) Certificate() *x509.Certificate { return s.srv.Certificate() }

// URL is the simulator's origin.
func (s *Server) URL() string { return s.srv.URL }

// Authority is what dashboard.authority should be: the multi-tenant
// endpoint, whose discovery names the issuer as a template.
func (s *Server) Authority() string { return s.srv.URL + "/organizations/v2.0" }

// Issuer is the issuer of a directory's ID tokens.
func (s *Server) Issuer(tenantID string) string { return s.srv.URL + "/" + tenantID + "/v2.0" }

// CertPool trusts the simulator's generated certificate.
func (s *Server) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(s.srv.Certificate())
	return pool
}

// SPKIHash is the base64 SHA-256 of the simulator's public key, for a
// browser's --ignore-certificate-errors-spki-list: the browser then trusts
// this one self-signed certificate, and still refuses every other.
func (s *Server) SPKIHash() string {
	sum := sha256.Sum256(s.srv.Certificate().RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Client is an HTTP client that trusts the simulator.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// WriteCA writes the simulator's certificate as PEM into dir and returns its
// path, for dashboard.ca_file.
func (s *Server) WriteCA(dir string) (string, error) {
	path := filepath.Join(dir, "entra-sim-ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
	return path, os.WriteFile(path, data, 0o600)
}

// Close stops the simulator.
func (s *Server) Close() { s.srv.Close() }

// AlterNextToken changes the claims of the next ID token the simulator
// issues: a test makes it expired, for another audience or issuer, or
// with another nonce.
func (s *Server) AlterNextToken(alter func(*IDTokenClaims)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alter = append(s.alter, alter)
}

// ForgeNextToken signs the next ID token with a key the simulator does not
// publish, under the published key's id: a forgery.
func (s *Server) ForgeNextToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forge++
}

// Users are the people who can sign in.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]User(nil), s.users...)
}

func (s *Server) jwk() jose.JSONWebKey {
	return jose.JSONWebKey{Key: &s.key.PublicKey, KeyID: s.keyID, Algorithm: string(jose.RS256), Use: "sig"}
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}
