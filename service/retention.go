package service

import (
	"context"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/cluster"
	"github.com/scoreflow/scoreflow/config"
)

// shortRetention is a cluster namespace's retention under which the worker
// warns: a control completed and lost again within a month is common.
const shortRetention = 30 * 24 * time.Hour

// CheckRetention sets the embedded namespace's retention to the config's. A
// cluster's namespace is its operator's: its retention is only reported, with
// a warning when it is short.
func CheckRetention(ctx context.Context, c client.Client, cfg config.Temporal, logger zerolog.Logger) error {
	if cfg.Address == "" {
		return cluster.EnsureRetention(ctx, c, cfg.Namespace, cfg.Embedded.Retention.D())
	}
	retention, err := cluster.Retention(ctx, c, cfg.Namespace)
	if err != nil {
		logger.Warn().Err(err).Msg("could not read the namespace's retention")
		return nil
	}
	event := logger.Info()
	if retention < shortRetention {
		event = logger.Warn()
	}
	event.Str("retention", retention.String()).Msg("the namespace keeps closed recommendations this long: " +
		"a control that loses its points after that starts again as a new one, not as a regression, and audit reaches back no further")
	return nil
}
