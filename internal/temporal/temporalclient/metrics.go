package temporalclient

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/rs/zerolog"
	otelprometheus "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"

	"github.com/scoreflow/scoreflow/internal/logging"
)

// Metrics is the process's Prometheus registry with the Temporal SDK's
// metrics (workflow, activity and poller counters and latencies) in it.
type Metrics struct {
	Registry *prometheus.Registry
	Handler  client.MetricsHandler
}

// NewMetrics wires the SDK's OpenTelemetry metrics handler to a Prometheus registry.
func NewMetrics(logger zerolog.Logger) (*Metrics, error) {
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	exporter, err := otelprometheus.New(otelprometheus.WithRegisterer(registry))
	if err != nil {
		return nil, err
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	handler := temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: provider.Meter("scoreflow"),
		// The handler's default reaction to a metrics error is to panic; a metric is never worth a crash.
		OnError: func(err error) { logging.Write(logger.Warn().Err(err), "log.temporal.metric_failed") },
	})
	return &Metrics{Registry: registry, Handler: handler}, nil
}
