// Package app runs scoreflow in one process: an embedded Temporal server
// with its Web UI when temporal.address is empty, the Temporal worker with
// every workflow and activity, the per-tenant Schedules, and the web servers
// (the gateway and the dashboard), all wired from the config.
package app

import (
	"context"
	"maps"
	"net/http"

	"github.com/rs/zerolog"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// Ready tells a caller (a test, the demo) where the running process answers.
type Ready struct {
	TemporalAddress  string
	UIAddress        string
	GatewayAddress   string
	DashboardAddress string // empty when the dashboard is off
}

// Options are what differs between a production start and the demo or a test.
type Options struct {
	OnReady      func(Ready)
	SweepAtStart bool // run every tenant's sweep now instead of waiting for its schedule
}

// Run starts everything in order (the web servers' ports, Temporal, the
// store, the worker and its Schedules, then the web servers), blocks until
// ctx ends, then stops: unready, the worker drained, then the rest in
// reverse order.
func Run(ctx context.Context, cfg *config.Config, root zerolog.Logger, options Options) error {
	logger := component(root, "worker")
	logging.SetLanguage(cfg.MSPLanguage)
	// The SDK's workflow cache is one per process, sized when the first
	// worker starts: the embedded server starts workers of its own (schedules),
	// so this comes before it, or the configured size is silently ignored.
	sdkworker.SetStickyWorkflowCacheSize(cfg.Temporal.Worker.StickyCacheSize)

	ports, err := holdPorts(cfg, logger)
	if err != nil {
		return err
	}
	defer ports.close()
	ready := ports.ready()

	staff, err := staffVerifier(cfg)
	if err != nil {
		return err
	}
	temporal, err := startTemporal(ctx, cfg, root, logger, staff)
	if err != nil {
		return err
	}
	defer temporal.stop()
	ready.TemporalAddress, ready.UIAddress = temporal.address, temporal.uiAddress

	history, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	if history != nil {
		defer func() { _ = history.Close() }()
	}

	worker, err := startWorker(ctx, cfg, temporal.client, history, logger, options.SweepAtStart)
	if err != nil {
		return err
	}
	defer worker.stop()

	codec, err := codecRoutes(cfg, temporal.payloads, staff, logger)
	if err != nil {
		return err
	}
	web, err := serveWeb(ctx, cfg, ports, temporal, history, merge(worker.routes, codec), root)
	if err != nil {
		return err
	}
	defer web.stop()

	logging.Write(logger.Info().Str("temporal", ready.TemporalAddress).Str("namespace", cfg.Temporal.Namespace).
		Str("task_queue", cfg.Temporal.TaskQueue).Str("gateway", "http://"+ready.GatewayAddress).
		Int("tenants", len(cfg.Tenants)), "log.service.running")
	if options.OnReady != nil {
		options.OnReady(ready)
	}
	<-ctx.Done()
	logging.Write(logger.Info().Dur("stop_timeout", cfg.Temporal.Worker.StopTimeout.D()), "log.service.shutting_down")
	// Unready first, so the load balancer sends no new webhook here; the
	// gateway still serves while the worker's running activities finish,
	// within temporal.worker.stop_timeout.
	web.stopping()
	worker.stop()
	return nil
}

func component(root zerolog.Logger, name string) zerolog.Logger {
	return root.With().Str("component", name).Logger()
}

func merge(routes ...map[string]http.Handler) map[string]http.Handler {
	all := map[string]http.Handler{}
	for _, r := range routes {
		maps.Copy(all, r)
	}
	return all
}
