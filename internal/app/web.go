package app

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/dashboard"
	"github.com/scoreflow/scoreflow/internal/delivery"
	"github.com/scoreflow/scoreflow/internal/gateway"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/store"
)

// webServers is what stops the web servers: the gateway, here; the
// dashboard stops with the run's context.
type webServers struct{ gateway *gateway.Gateway }

// stopping makes the worker unready, before it drains.
func (web webServers) stopping() { web.gateway.Stopping() }

// stop shuts the gateway down, letting requests in flight finish.
func (web webServers) stop() {
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	_ = web.gateway.Shutdown(shutdownCtx)
}

// serveWeb serves the gateway (health, readiness, metrics, the
// integrations' webhooks) and, when it is on, the dashboard, on the ports
// held at start.
func serveWeb(ctx context.Context, cfg *config.Config, held ports, temporal *temporalConnection, history *store.DB,
	routes map[string]http.Handler, root zerolog.Logger) (webServers, error) {
	logger := component(root, "worker")
	checks := map[string]gateway.HealthCheck{"temporal": temporal.health}
	if history != nil {
		checks["store"] = history.Ping
	}
	gw := gateway.New(temporal.metrics.Registry, checks, logger)
	if cfg.Gateway.Pprof {
		gw.ServeProfiler()
	}
	for pattern, handler := range routes {
		gw.Handle(pattern, handler)
	}
	gw.Serve(held.gateway)
	web := webServers{gateway: gw}
	if held.dashboard != nil {
		decisions := delivery.Client{Temporal: temporal.client, ResultWait: dashboardResultWait}
		if err := serveDashboard(ctx, cfg, history, decisions, held.dashboard, component(root, "dashboard")); err != nil {
			web.stop()
			return webServers{}, err
		}
	}
	return web, nil
}

// dashboardResultWait is how long a decision taken on the dashboard waits
// for the workflow to carry it out, so that the page it returns to shows
// the new stage; one taking longer goes on after the page is shown.
const dashboardResultWait = 2 * time.Second

// serveDashboard serves the dashboard until ctx ends.
func serveDashboard(ctx context.Context, cfg *config.Config, history *store.DB, deliveries dashboard.Deliveries, listener net.Listener, logger zerolog.Logger) error {
	server, err := dashboard.New(cfg, history, deliveries, logger)
	if err != nil {
		return err
	}
	go func() {
		if err := server.Serve(ctx, listener); err != nil {
			logging.Write(logger.Error().Err(err), "log.dashboard.stopped")
		}
	}()
	logging.Write(logger.Info().Str("url", cfg.Dashboard.BaseURL()), "log.dashboard.serving")
	return nil
}
