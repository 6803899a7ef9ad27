// Package dashboard is scoreflow's web dashboard: each tenant's Secure Score,
// its trend, its open recommendations and what changed, for the customer who
// signs in with Microsoft; every tenant at once for the MSP's staff; and a
// report to print for the regular meeting. Pages are rendered on the
// server from the store; the one script draws the trend chart.
package dashboard

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/fleet"
	"github.com/scoreflow/scoreflow/internal/identity"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/store"
)

// Server serves the dashboard.
type Server struct {
	cfg       *config.Config
	data      *store.DB
	decisions Decisions // nil: the dashboard shows, and takes no decision
	bulk      Bulk      // nil: no bulk verdict from the fleet's pages
	fleet     *fleet.Records
	sessions  *scs.SessionManager
	signIn    *signIn
	logger    zerolog.Logger
	now       func() time.Time
}

// Deliveries are the dashboard's way to the workflows (internal/delivery's
// Client): a customer's decision, the MSP's bulk verdict.
type Deliveries interface {
	Decisions
	Bulk
}

// New prepares the dashboard of a config on a store, which also keeps the
// sessions; decisions and bulk verdicts go through deliveries (nil: none).
func New(cfg *config.Config, data *store.DB, deliveries Deliveries, logger zerolog.Logger) (*Server, error) {
	client, err := identity.AuthorityClient(cfg.Dashboard.CAFile)
	if err != nil {
		return nil, err
	}
	sessions := scs.New()
	sessions.Store = data.Sessions()
	sessions.Lifetime = cfg.Dashboard.SessionLifetime.D()
	sessions.Cookie.Name = "scoreflow_session"
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = secureCookie(cfg.Dashboard.BaseURL())
	s := &Server{cfg: cfg, data: data, fleet: fleet.NewRecords(data), sessions: sessions, logger: logger, now: time.Now,
		signIn: &signIn{cfg: cfg.Dashboard, client: client}}
	if deliveries != nil {
		s.decisions, s.bulk = deliveries, deliveries
	}
	sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.fail(w, r, fmt.Errorf("the sessions: %w", err))
	}
	return s, nil
}

// secureCookie reports whether the session cookie must be Secure: always,
// except for a dashboard reached over plain HTTP on this machine only.
func secureCookie(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "http" {
		return true
	}
	if u.Hostname() == "localhost" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip == nil || !ip.IsLoopback()
}

// Serve answers on the listener until ctx ends; expired sessions are
// deleted every hour meanwhile.
func (s *Server) Serve(ctx context.Context, listener net.Listener) error {
	server := httpServer(s.Handler())
	go s.deleteExpiredSessions(ctx)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	if err := server.Serve(listener); err != http.ErrServerClosed {
		return err
	}
	return nil
}

func (s *Server) deleteExpiredSessions(ctx context.Context) {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if _, err := s.data.Sessions().DeleteExpired(ctx); err != nil {
				logging.Write(s.logger.Warn().Err(err), "log.dashboard.sessions_not_deleted")
			}
		}
	}
}

// httpServer bounds every phase of a request, so slow clients cannot hold
// connections open: headers, the whole request, the answer, and idle
// keep-alives.
func httpServer(handler http.Handler) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
}
