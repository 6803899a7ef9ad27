// Package gateway is scoreflow's HTTP front door: health, Prometheus metrics,
// and the inbound webhooks of Jira and Slack.
package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/logging"
)

// MaxRequestBody bounds every request body the gateway reads. Jira's and
// Slack's handlers set tighter limits of their own; this one covers any route.
const MaxRequestBody = 1 << 20

// maxHeaderBytes bounds request headers; Jira's and Slack's are a few KB.
const maxHeaderBytes = 64 << 10

// HealthCheck reports whether a dependency (Temporal, the store) answers.
type HealthCheck func(ctx context.Context) error

// Gateway is the HTTP server; webhook handlers are added with Handle before Serve.
type Gateway struct {
	mux      *http.ServeMux
	server   *http.Server
	logger   zerolog.Logger
	checks   map[string]HealthCheck
	stopping atomic.Bool
}

// healthWait bounds each dependency's answer to a readiness probe.
const healthWait = 2 * time.Second

// New serves GET /healthz (liveness: 200 while the process serves), GET
// /readyz (readiness: 200 when every check answers and the worker is not
// stopping, 503 otherwise) and GET /metrics. checks are the dependencies by
// name, such as "temporal" and "store".
func New(registry *prometheus.Registry, checks map[string]HealthCheck, logger zerolog.Logger) *Gateway {
	g := &Gateway{mux: http.NewServeMux(), logger: logger, checks: checks}
	// Liveness asks nothing else: a Temporal or database outage must not
	// make the orchestrator restart every worker.
	g.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	g.mux.HandleFunc("GET /readyz", g.ready)
	g.mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{Registry: registry}))
	return g
}

// ready asks every dependency at once and answers what is down, not why.
func (g *Gateway) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthWait)
	defer cancel()
	body := map[string]string{"status": "ready"}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range g.checks {
		wg.Go(func() {
			state := "ok"
			if err := check(ctx); err != nil {
				// Anyone may ask: the answer says what is down, the log says
				// why (an address, a certificate's name) for the operator alone.
				logging.Write(g.logger.Warn().Err(err).Str("dependency", name), "log.gateway.unready")
				state = "unavailable"
			}
			mu.Lock()
			defer mu.Unlock()
			body[name] = state
			if state != "ok" {
				body["status"] = "unready"
			}
		})
	}
	wg.Wait()
	if g.stopping.Load() {
		body["status"] = "stopping"
	}
	status := http.StatusOK
	if body["status"] != "ready" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// Stopping makes readiness answer 503 from now on, so the orchestrator and
// the load balancer send no new work while the worker drains.
func (g *Gateway) Stopping() { g.stopping.Store(true) }

// Handle adds a route, such as "POST /jira/webhook".
func (g *Gateway) Handle(pattern string, handler http.Handler) { g.mux.Handle(pattern, handler) }

// ServeProfiler adds Go's profiler under /debug/pprof/, for measuring a
// running worker (gateway.pprof); it exposes internals, so it is off by default.
func (g *Gateway) ServeProfiler() {
	g.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	g.mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	g.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	g.mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	g.mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
}

// Serve serves on listener in the background. The caller opens the listener,
// so it can hold the port from its first moment (the worker binds it before
// the embedded Temporal server picks ports of its own).
func (g *Gateway) Serve(listener net.Listener) {
	g.server = &http.Server{
		Handler:        http.MaxBytesHandler(g.mux, MaxRequestBody),
		MaxHeaderBytes: maxHeaderBytes,
		// Slack and Jira wait seconds, not minutes: slow clients must not hold connections.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	go func() {
		if err := g.server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logging.Write(g.logger.Error().Err(err), "log.gateway.stopped")
		}
	}()
}

// Shutdown lets in-flight requests finish, up to ctx's deadline.
func (g *Gateway) Shutdown(ctx context.Context) error {
	if g.server == nil {
		return nil
	}
	return g.server.Shutdown(ctx)
}
