package app

import (
	"fmt"
	"net"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// ports are the web servers' listeners, held before anything else starts:
// the embedded Temporal server picks free ports of its own and could
// otherwise take one of them first. A port already in use then fails here,
// before Temporal starts.
type ports struct {
	gateway   net.Listener
	dashboard net.Listener // nil when the dashboard is off
}

func holdPorts(cfg *config.Config, logger zerolog.Logger) (ports, error) {
	gateway, err := net.Listen("tcp", cfg.Gateway.Listen)
	if err != nil {
		return ports{}, fmt.Errorf("gateway.listen %s: %w", cfg.Gateway.Listen, err)
	}
	dashboard, err := listenDashboard(cfg, logger)
	if err != nil {
		_ = gateway.Close()
		return ports{}, err
	}
	return ports{gateway: gateway, dashboard: dashboard}, nil
}

// listenDashboard holds the dashboard's port; nil when the dashboard is off.
func listenDashboard(cfg *config.Config, logger zerolog.Logger) (net.Listener, error) {
	address := cfg.Dashboard.Address()
	switch {
	case address == "":
		return nil, nil
	case !cfg.Dashboard.SignInConfigured():
		logging.Write(logger.Info(), "log.dashboard.off")
		return nil, nil
	}
	listener, err := net.Listen("tcp", address)
	if err != nil {
		return nil, fmt.Errorf("dashboard.listen %s: %w", address, err)
	}
	return listener, nil
}

func (p ports) ready() Ready {
	ready := Ready{GatewayAddress: p.gateway.Addr().String()}
	if p.dashboard != nil {
		ready.DashboardAddress = p.dashboard.Addr().String()
	}
	return ready
}

// close releases the ports; after the servers have shut down, closing
// returns errors nobody needs.
func (p ports) close() {
	_ = p.gateway.Close()
	if p.dashboard != nil {
		_ = p.dashboard.Close()
	}
}
