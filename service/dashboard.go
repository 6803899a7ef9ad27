package service

import (
	"context"
	"fmt"
	"net"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/dashboard"
	"github.com/scoreflow/scoreflow/logging"
	"github.com/scoreflow/scoreflow/store"
)

// listenDashboard holds the dashboard's port, like the gateway's, before
// anything else starts; nil when the dashboard is off.
func listenDashboard(cfg *config.Config, logger zerolog.Logger) (net.Listener, error) {
	address := cfg.Dashboard.Address()
	switch {
	case address == "":
		return nil, nil
	case !cfg.Dashboard.SignInConfigured():
		logging.Say(logger.Info(), "log.dashboard.off")
		return nil, nil
	}
	listener, err := net.Listen("tcp", address)
	if err != nil {
		return nil, fmt.Errorf("dashboard.listen %s: %w", address, err)
	}
	return listener, nil
}

// serveDashboard serves the dashboard until ctx ends.
func serveDashboard(ctx context.Context, cfg *config.Config, history *store.Deferred, listener net.Listener, logger zerolog.Logger) error {
	server, err := dashboard.New(cfg, history, logger)
	if err != nil {
		return err
	}
	go func() {
		if err := server.Serve(ctx, listener); err != nil {
			logging.Say(logger.Error().Err(err), "log.dashboard.stopped")
		}
	}()
	logging.Say(logger.Info().Str("url", cfg.Dashboard.BaseURL()), "log.dashboard.serving")
	return nil
}
