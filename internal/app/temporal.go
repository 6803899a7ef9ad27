package app

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/identity"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/codec"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// temporalConnection is the Temporal the worker runs on: the cluster at
// temporal.address, or the embedded server it started.
type temporalConnection struct {
	client             client.Client
	metrics            *temporalclient.Metrics
	payloads           *codec.Codec // nil when temporal.encryption is off
	address, uiAddress string
	server             *embedded.Server // nil on a cluster
}

// startTemporal starts the embedded server when temporal.address is empty,
// dials Temporal, and sets up the namespace's search attributes and
// retention.
func startTemporal(ctx context.Context, cfg *config.Config, root, logger zerolog.Logger, staff *identity.StaffVerifier) (*temporalConnection, error) {
	t := &temporalConnection{}
	if cfg.Temporal.Address == "" {
		server, err := startEmbedded(cfg, root, logger, staff)
		if err != nil {
			return nil, err
		}
		t.server, t.uiAddress = server, server.UIAddress()
	}
	t.address = temporalclient.Address(cfg.Temporal)
	if err := t.dial(ctx, cfg, logger); err != nil {
		t.stop()
		return nil, err
	}
	if err := temporalclient.AwaitNamespace(ctx, t.client, cfg.Temporal.Namespace, namespaceWait, func() {
		logging.Write(logger.Info().Str("namespace", cfg.Temporal.Namespace), "log.temporal.awaiting_namespace")
	}); err != nil {
		t.stop()
		return nil, fmt.Errorf("%w: register it on the cluster (docs/operations.md)", err)
	}
	if err := temporalclient.EnsureSearchAttributes(ctx, t.client, cfg.Temporal.Namespace, lifecycle.SearchAttributes()); err != nil {
		// On a managed cluster (Temporal Cloud) an operator adds them; say which are missing and go on.
		logging.Write(logger.Warn().Err(err), "log.temporal.search_attributes_failed")
	}
	if err := setOrReportRetention(ctx, t.client, cfg.Temporal, logger); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}

// namespaceWait is how long a worker waits for its namespace to be
// registered, as an orchestrator starts the worker and the cluster together.
const namespaceWait = 2 * time.Minute

func startEmbedded(cfg *config.Config, root, logger zerolog.Logger, staff *identity.StaffVerifier) (*embedded.Server, error) {
	server, err := embedded.Start(embedded.Options{
		DBFile:           cfg.Temporal.Embedded.DBFile,
		IP:               cfg.Temporal.Embedded.IP,
		Port:             cfg.Temporal.Embedded.Port,
		UIPort:           cfg.Temporal.Embedded.UIPort,
		HistoryCacheSize: cfg.Temporal.Embedded.HistoryCacheSize,
		Namespace:        cfg.Temporal.Namespace,
		SearchAttributes: lifecycle.SearchAttributes(),
		// The server is chatty at info; its warnings and errors are what an operator needs.
		Logger:        component(root, "temporal-server").Level(max(root.GetLevel(), zerolog.WarnLevel)),
		UIIP:          cfg.Temporal.UI.IP,
		UIAuth:        uiAuth(cfg, staff),
		CodecEndpoint: codecEndpoint(cfg, staff),
	})
	if err != nil {
		return nil, fmt.Errorf("starting the embedded Temporal server (temporal.embedded): %w", err)
	}
	logging.Write(logger.Info().Str("db_file", cfg.Temporal.Embedded.DBFile).Str("address", server.Address()).
		Str("ui", server.UIAddress()), "log.temporal.server_started")
	return server, nil
}

func (t *temporalConnection) dial(ctx context.Context, cfg *config.Config, logger zerolog.Logger) error {
	metrics, err := temporalclient.NewMetrics(logger)
	if err != nil {
		return err
	}
	if t.payloads, err = temporalclient.Codec(cfg.Temporal.Encryption); err != nil {
		return err
	}
	options, err := temporalclient.Options(cfg.Temporal, logger, metrics.Handler, t.payloads)
	if err != nil {
		return err
	}
	dialCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	t.client, err = temporalclient.Dial(dialCtx, options)
	t.metrics = metrics
	return err
}

// health is the gateway's check of Temporal.
func (t *temporalConnection) health(ctx context.Context) error {
	_, err := t.client.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}

func (t *temporalConnection) stop() {
	if t.client != nil {
		t.client.Close()
	}
	if t.server != nil {
		t.server.Stop()
	}
}
