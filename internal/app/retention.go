package app

import (
	"context"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// shortRetention is a cluster namespace's retention under which the worker
// warns: a control completed and lost again within a month is common.
const shortRetention = 30 * 24 * time.Hour

// setOrReportRetention sets the embedded namespace's retention to the config's. A
// cluster's namespace is its operator's: its retention is only reported, with
// a warning when it is short.
func setOrReportRetention(ctx context.Context, c client.Client, cfg config.Temporal, logger zerolog.Logger) error {
	if cfg.Address == "" {
		return temporalclient.EnsureRetention(ctx, c, cfg.Namespace, cfg.Embedded.Retention.D())
	}
	retention, err := temporalclient.Retention(ctx, c, cfg.Namespace)
	if err != nil {
		logging.Write(logger.Warn().Err(err), "log.temporal.retention_unreadable")
		return nil
	}
	event := logger.Info()
	if retention < shortRetention {
		event = logger.Warn()
	}
	logging.Write(event.Str("retention", retention.String()), "log.temporal.retention")
	return nil
}
