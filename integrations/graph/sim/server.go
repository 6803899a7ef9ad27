// Package sim is a local Microsoft Graph for tests and the demo: HTTPS with a
// generated certificate, the Entra ID token endpoints azidentity uses, and the
// Secure Score calls scoreflow makes, with Graph's paging, bearer tokens,
// throttling and errors. It is a test double for Microsoft's service only.
package sim

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/scoreflow/scoreflow/integrations/simfault"
)

// Server is a running simulated Graph and Entra ID.
type Server struct {
	srv *httptest.Server
	// PageSize is how many control profiles one page holds (Graph's own size varies).
	PageSize int
	// ScorePageSize is how many days one page of secureScores holds.
	ScorePageSize int

	mu       sync.Mutex
	tenants  map[string]*Tenant   // by Azure tenant id
	tokens   map[string]tokenInfo // issued access tokens
	requests map[string]int       // Graph requests by Azure tenant id
	patches  map[string]int       // PATCH requests by Azure tenant id
	refused  map[string]int       // "tenant/control" whose PATCH is answered with this status
	dropped  map[string]bool      // "tenant/control" whose PATCH is accepted but not kept
	// tokenClients are the app ids tokens were issued to, by Azure tenant id.
	tokenClients map[string][]string
	now          func() time.Time

	// AfterPatch, when set, runs once a control's state is stored and before
	// Graph answers: a test kills the worker there.
	AfterPatch func(controlID string)
	// AfterSendMail, when set, runs once a mail is sent and before Graph
	// answers: a test kills the worker there.
	AfterSendMail func(Mail)
	mails         []Mail
	// Faults make Graph fail: throttling, server errors, dropped
	// connections, slow answers, outages. A failed request never reaches
	// Graph, so Requests does not count it; Faults.Injected does.
	Faults *simfault.Injector
}

type tokenInfo struct {
	tenant  string
	expires time.Time
}

// New starts the simulator with the given tenants on a loopback HTTPS port.
func New(tenants ...*Tenant) *Server {
	s := &Server{
		PageSize: 10, ScorePageSize: 30, tenants: map[string]*Tenant{}, tokens: map[string]tokenInfo{},
		requests: map[string]int{}, patches: map[string]int{}, refused: map[string]int{}, dropped: map[string]bool{}, tokenClients: map[string][]string{}, now: time.Now,
	}
	for _, t := range tenants {
		s.tenants[t.AzureTenantID] = t
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.openIDConfiguration)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.token)
	mux.HandleFunc("GET /v1.0/security/secureScores", s.graph(s.secureScores))
	mux.HandleFunc("GET /v1.0/security/secureScoreControlProfiles", s.graph(s.controlProfiles))
	mux.HandleFunc("GET /v1.0/security/secureScoreControlProfiles/{id}", s.graph(s.controlProfile))
	mux.HandleFunc("PATCH /v1.0/security/secureScoreControlProfiles/{id}", s.graph(s.updateControlProfile))
	mux.HandleFunc("POST /v1.0/users/{user}/sendMail", s.graph(s.sendMail))
	mux.HandleFunc("GET /v1.0/users/{user}/messages", s.graph(s.messages))
	s.Faults = simfault.New(func(w http.ResponseWriter, status int) {
		graphError(w, status, graphErrorCode(status), http.StatusText(status))
	})
	s.srv = httptest.NewTLSServer(s.Faults.Wrap(mux))
	return s
}

// URL is the simulator's origin, e.g. https://127.0.0.1:41234.
func (s *Server) URL() string { return s.srv.URL }

// GraphURL is what graph.base_url should be.
func (s *Server) GraphURL() string { return s.srv.URL + "/v1.0" }

// AuthorityURL is what graph.authority_host should be.
func (s *Server) AuthorityURL() string { return s.srv.URL + "/" }

// CertPool trusts the simulator's generated certificate.
func (s *Server) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(s.srv.Certificate())
	return pool
}

// WriteCA writes the simulator's certificate as PEM into dir and returns its path,
// for a process that takes a CA file (graph.ca_file).
func (s *Server) WriteCA(dir string) (string, error) {
	path := filepath.Join(dir, "graph-sim-ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
	return path, os.WriteFile(path, data, 0o600)
}

// Close stops the simulator.
func (s *Server) Close() { s.srv.Close() }

// Requests is how many Graph calls (not token requests) a tenant has made.
func (s *Server) Requests(azureTenantID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[azureTenantID]
}

// TokenClients are the app ids that signed in to a tenant, one per token issued.
func (s *Server) TokenClients(azureTenantID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokenClients[azureTenantID]...)
}

// Patches is how many PATCH requests a tenant has made.
func (s *Server) Patches(azureTenantID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.patches[azureTenantID]
}

// FailNext makes the next n Graph calls (not sign-ins) answer status with
// Retry-After (empty for none), as Graph does when it throttles or is unavailable.
func (s *Server) FailNext(n, status int, retryAfter string) {
	for range n {
		s.Faults.FailNext(simfault.Fault{Status: status, RetryAfter: retryAfter, PathPrefix: "/v1.0/"})
	}
}

// Profile returns a copy of a control profile, to see what a PATCH recorded.
func (s *Server) Profile(azureTenantID, controlID string) (ControlProfile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.profile(azureTenantID, controlID); p != nil {
		return *p, true
	}
	return ControlProfile{}, false
}

// SetScore changes a control's latest score, as Microsoft's detection does.
func (s *Server) SetScore(azureTenantID, controlID string, score float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants[azureTenantID].Scores[controlID] = score
}

// SetState records a state change made in the portal, outside scoreflow.
func (s *Server) SetState(azureTenantID, controlID, state, by string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.profile(azureTenantID, controlID); p != nil {
		p.ControlStateUpdates = append(p.ControlStateUpdates, StateUpdate{
			State: state, UpdatedBy: by, Comment: "changed in the portal", UpdatedDateTime: s.now().UTC().Format(time.RFC3339Nano),
		})
	}
}

// RefuseStateUpdates makes Graph answer a control's PATCH with status (400
// or 403), as it does for a control whose state it does not take. Graph
// refuses Defender for Endpoint's scid_* controls with 400 anyway.
func (s *Server) RefuseStateUpdates(azureTenantID, controlID string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[azureTenantID+"/"+controlID] = status
}

// DropStateUpdates makes Graph accept a control's PATCH without keeping it:
// its later reads, like the portal, never show the write.
func (s *Server) DropStateUpdates(azureTenantID, controlID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropped[azureTenantID+"/"+controlID] = true
}

// SetDeprecated marks a control deprecated, as Microsoft does when it retires one.
func (s *Server) SetDeprecated(azureTenantID, controlID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.profile(azureTenantID, controlID); p != nil {
		p.Deprecated = true
	}
}

func (s *Server) profile(azureTenantID, controlID string) *ControlProfile {
	t := s.tenants[azureTenantID]
	if t == nil {
		return nil
	}
	for i := range t.Profiles {
		if t.Profiles[i].ID == controlID {
			return &t.Profiles[i]
		}
	}
	return nil
}

// graph wraps a Graph endpoint: bearer token, request count, injected faults.
func (s *Server) graph(handler func(w http.ResponseWriter, r *http.Request, t *Tenant)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		tenant, ok := s.authenticate(r)
		if !ok {
			graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
			return
		}
		s.requests[tenant.AzureTenantID]++
		handler(w, r, tenant)
	}
}

func (s *Server) authenticate(r *http.Request) (*Tenant, bool) {
	const prefix = "Bearer "
	header := r.Header.Get("Authorization")
	if len(header) <= len(prefix) || header[:len(prefix)] != prefix {
		return nil, false
	}
	info, ok := s.tokens[header[len(prefix):]]
	if !ok || s.now().After(info.expires) {
		return nil, false
	}
	return s.tenants[info.tenant], true
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// graphErrorCode is the code Graph's error body gives for a failure status.
func graphErrorCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "serviceNotAvailable"
	default:
		return "generalException"
	}
}

// graphError writes Graph's error shape, which the SDK parses into an ODataError.
func graphError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": message,
		"innerError": map[string]string{"request-id": fmt.Sprintf("sim-%d", time.Now().UnixNano())},
	}})
}
