package app

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/store"
)

// openStore names the store and tries it once, migrating its schema. A
// database that is not scoreflow's, is corrupt, or is newer stops the
// start; one that does not answer yet is opened by the first use that finds
// it up, and the writes until then fail and are retried. Nil when the store
// is disabled.
func openStore(ctx context.Context, cfg *config.Config, logger zerolog.Logger) (*store.DB, error) {
	if cfg.Store.Disabled {
		logging.Write(logger.Warn(), "log.store.disabled")
		return nil, nil
	}
	history := store.New(cfg.Store.DSN.Reveal(), cfg.StoreFile())
	switch err := history.Connect(ctx); {
	case store.Refused(err):
		return nil, fmt.Errorf("store (store.dsn): %w", err)
	case err != nil:
		logging.Write(logger.Warn().Err(err), "log.store.unreachable")
	default:
		logging.Write(logger.Info().Str("store", history.Where()).Dur("retention", cfg.Store.Retention.D()), "log.store.opened")
	}
	return history, nil
}

// runningWorker is the started Temporal worker, and the gateway routes its
// integrations serve.
type runningWorker struct {
	worker  sdkworker.Worker
	routes  map[string]http.Handler
	stopped *sync.Once
}

// stop stops polling and waits for the running activities, up to
// temporal.worker.stop_timeout; the first call does it, later ones return.
func (w runningWorker) stop() { w.stopped.Do(w.worker.Stop) }

// startWorker wires every integration, registers every workflow and
// activity, starts the worker, and makes sure each tenant's Schedules exist
// (running each sweep now with sweepNow).
func startWorker(ctx context.Context, cfg *config.Config, temporalClient client.Client, history *store.DB,
	logger zerolog.Logger, sweepNow bool) (runningWorker, error) {
	wired, err := wire(cfg, temporalClient, history, logger)
	if err != nil {
		return runningWorker{}, err
	}
	w := sdkworker.New(temporalClient, cfg.Temporal.TaskQueue, sdkworker.Options{
		MaxConcurrentWorkflowTaskExecutionSize: workflowTaskSlots(cfg.Temporal.Worker.StickyCacheSize),
		WorkerStopTimeout:                      cfg.Temporal.Worker.StopTimeout.D(),
	})
	register(w, wired.activities)
	if err := w.Start(); err != nil {
		return runningWorker{}, fmt.Errorf("starting the worker: %w", err)
	}
	running := runningWorker{worker: w, routes: wired.routes, stopped: &sync.Once{}}
	if err := ensureSchedules(ctx, temporalClient, cfg, logger); err != nil {
		running.stop()
		return runningWorker{}, err
	}
	if sweepNow {
		if err := sweepEveryTenant(ctx, temporalClient, cfg); err != nil {
			running.stop()
			return runningWorker{}, err
		}
	}
	return running, nil
}

// sweepEveryTenant triggers each tenant's sweep Schedule now.
func sweepEveryTenant(ctx context.Context, temporalClient client.Client, cfg *config.Config) error {
	for _, t := range cfg.Tenants {
		handle := temporalClient.ScheduleClient().GetHandle(ctx, lifecycle.SweepScheduleID(t.ID))
		if err := handle.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
			return fmt.Errorf("starting the sweep of %s: %w", t.ID, err)
		}
	}
	return nil
}

// workflowTaskSlots is how many workflow tasks the worker runs at once. A
// running task pins its workflow in the sticky cache; with more tasks running
// than the cache holds, the SDK fails the next one ("cache capacity is fully
// occupied with pinned elements") and the server retries it later. Half the
// cache, at most the SDK's default of 1,000, at least the SDK's minimum of 2.
func workflowTaskSlots(stickyCacheSize int) int {
	return min(max(stickyCacheSize/2, 2), 1000)
}

// shutdownWait bounds how long the web servers take to finish their requests.
const shutdownWait = 10 * time.Second
