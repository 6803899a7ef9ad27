// Package service runs scoreflow in one process: an embedded Temporal server
// with its Web UI when temporal.address is empty, the Temporal worker with
// every workflow and activity, the per-tenant Schedules, and the HTTP
// gateway, all wired from the config.
package service

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/scoreflow/scoreflow/cluster"
	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/devserver"
	"github.com/scoreflow/scoreflow/gateway"
	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/logging"
	"github.com/scoreflow/scoreflow/store"
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

// Run starts everything, blocks until ctx ends, then stops in reverse order.
func Run(ctx context.Context, cfg *config.Config, root zerolog.Logger, options Options) error {
	logger := component(root, "worker")
	logging.SetLanguage(cfg.MSPLanguage)
	// The SDK's workflow cache is one per process, sized when the first
	// worker starts: the embedded server starts workers of its own (schedules),
	// so this comes before it, or the configured size is silently ignored.
	sdkworker.SetStickyWorkflowCacheSize(cfg.Temporal.Worker.StickyCacheSize)
	// The gateway's port is held before anything else starts: the embedded
	// server picks free ports of its own and could otherwise take this one
	// before the gateway binds it. A port already in use then fails here,
	// before Temporal starts.
	gatewayListener, err := net.Listen("tcp", cfg.Gateway.Listen)
	if err != nil {
		return fmt.Errorf("gateway.listen %s: %w", cfg.Gateway.Listen, err)
	}
	// Closing after the gateway has shut down returns an error nobody needs.
	defer func() { _ = gatewayListener.Close() }()
	ready := Ready{GatewayAddress: gatewayListener.Addr().String()}
	dashboardListener, err := listenDashboard(cfg, logger)
	if err != nil {
		return err
	}
	if dashboardListener != nil {
		defer func() { _ = dashboardListener.Close() }()
		ready.DashboardAddress = dashboardListener.Addr().String()
	}
	if cfg.Temporal.Address == "" {
		server, err := devserver.Start(devserver.Options{
			DBFile:           cfg.Temporal.Embedded.DBFile,
			IP:               cfg.Temporal.Embedded.IP,
			Port:             cfg.Temporal.Embedded.Port,
			UIPort:           cfg.Temporal.Embedded.UIPort,
			HistoryCacheSize: cfg.Temporal.Embedded.HistoryCacheSize,
			Namespace:        cfg.Temporal.Namespace,
			SearchAttributes: lifecycle.SearchAttributes(),
			// The server is chatty at info; its warnings and errors are what an operator needs.
			Logger: component(root, "temporal-server").Level(max(root.GetLevel(), zerolog.WarnLevel)),
		})
		if err != nil {
			return fmt.Errorf("starting the embedded Temporal server (temporal.embedded): %w", err)
		}
		defer server.Stop()
		ready.UIAddress = server.UIAddress()
		logging.Say(logger.Info().Str("db_file", cfg.Temporal.Embedded.DBFile).Str("address", server.Address()).
			Str("ui", ready.UIAddress), "log.temporal.server_started")
	}
	ready.TemporalAddress = cluster.Address(cfg.Temporal)

	metrics, err := cluster.NewMetrics(logger)
	if err != nil {
		return err
	}
	clientOptions, err := cluster.Options(cfg.Temporal, logger, metrics.Handler)
	if err != nil {
		return err
	}
	dialCtx, cancelDial := context.WithTimeout(ctx, time.Minute)
	temporalClient, err := cluster.Dial(dialCtx, clientOptions)
	cancelDial()
	if err != nil {
		return err
	}
	defer temporalClient.Close()
	if err := cluster.EnsureSearchAttributes(ctx, temporalClient, cfg.Temporal.Namespace, lifecycle.SearchAttributes()); err != nil {
		// On a managed cluster (Temporal Cloud) an operator adds them; say which are missing and go on.
		logging.Say(logger.Warn().Err(err), "log.temporal.search_attributes_failed")
	}
	if err := CheckRetention(ctx, temporalClient, cfg.Temporal, logger); err != nil {
		return err
	}

	history, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	if history != nil {
		defer func() { _ = history.Close() }()
	}
	wired, err := wire(cfg, temporalClient, history, logger)
	if err != nil {
		return err
	}
	w := sdkworker.New(temporalClient, cfg.Temporal.TaskQueue, sdkworker.Options{
		MaxConcurrentWorkflowTaskExecutionSize: workflowTaskSlots(cfg.Temporal.Worker.StickyCacheSize),
	})
	register(w, wired.activities)
	if err := w.Start(); err != nil {
		return fmt.Errorf("starting the worker: %w", err)
	}
	defer w.Stop()

	if err := ensureSchedules(ctx, temporalClient, cfg, logger); err != nil {
		return err
	}
	if options.SweepAtStart {
		for _, t := range cfg.Tenants {
			if err := temporalClient.ScheduleClient().GetHandle(ctx, lifecycle.SweepScheduleID(t.ID)).Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
				return fmt.Errorf("starting the sweep of %s: %w", t.ID, err)
			}
		}
	}

	gw := gateway.New(metrics.Registry, func(ctx context.Context) error {
		_, err := temporalClient.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	}, logger)
	if cfg.Gateway.Pprof {
		gw.ServeProfiler()
	}
	for pattern, handler := range wired.routes {
		gw.Handle(pattern, handler)
	}
	gw.Serve(gatewayListener)
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = gw.Shutdown(shutdownCtx)
	}()

	if dashboardListener != nil {
		if err := serveDashboard(ctx, cfg, history, dashboardListener, component(root, "dashboard")); err != nil {
			return err
		}
	}

	logging.Say(logger.Info().Str("temporal", ready.TemporalAddress).Str("namespace", cfg.Temporal.Namespace).
		Str("task_queue", cfg.Temporal.TaskQueue).Str("gateway", "http://"+ready.GatewayAddress).
		Int("tenants", len(cfg.Tenants)), "log.service.running")
	if options.OnReady != nil {
		options.OnReady(ready)
	}
	<-ctx.Done()
	logging.Say(logger.Info(), "log.service.shutting_down")
	return nil
}

// openStore opens the store, migrating its schema. A database that is not
// scoreflow's, is corrupt, or is newer stops the start; one that does not
// answer yet is opened by the first write that finds it up, and the writes
// until then wait and retry.
func openStore(ctx context.Context, cfg *config.Config, logger zerolog.Logger) (*store.Deferred, error) {
	if cfg.Store.Disabled {
		logging.Say(logger.Warn(), "log.store.disabled")
		return nil, nil
	}
	history := store.Defer(cfg.Store.DSN.Reveal(), cfg.StoreFile())
	openCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	db, err := history.Open(openCtx)
	switch {
	case store.Refused(err):
		return nil, fmt.Errorf("store (store.dsn): %w", err)
	case err != nil:
		logging.Say(logger.Warn().Err(err), "log.store.unreachable")
	default:
		logging.Say(logger.Info().Str("store", db.Where()).Dur("retention", cfg.Store.Retention.D()), "log.store.opened")
	}
	return history, nil
}

func component(root zerolog.Logger, name string) zerolog.Logger {
	return root.With().Str("component", name).Logger()
}

// workflowTaskSlots is how many workflow tasks the worker runs at once. A
// running task pins its workflow in the sticky cache; with more tasks running
// than the cache holds, the SDK fails the next one ("cache capacity is fully
// occupied with pinned elements") and the server retries it later. Half the
// cache, at most the SDK's default of 1,000, at least the SDK's minimum of 2.
func workflowTaskSlots(stickyCacheSize int) int {
	return min(max(stickyCacheSize/2, 2), 1000)
}
