package service

import (
	"context"
	"fmt"
	"net"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/dashboard"
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
		logger.Info().Msg("the dashboard is off: it starts once dashboard.client_id names the app people sign in with")
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
			logger.Error().Err(err).Msg("the dashboard stopped")
		}
	}()
	logger.Info().Str("url", cfg.Dashboard.BaseURL()).Msg("dashboard serving")
	return nil
}
