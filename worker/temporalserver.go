package main

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded"
)

// temporalPostgresEnv holds the PostgreSQL URL of --temporal-server: a
// secret stays out of the command line.
const temporalPostgresEnv = "SCOREFLOW_TEMPORAL_POSTGRES"

// runTemporalServer runs Temporal's own server, on PostgreSQL, as a process
// of its own, for scoreflow's workers to reach at temporal.address: the
// cluster topology on a machine without container images
// (docs/operations.md, "A cluster on this machine").
func runTemporalServer(ctx context.Context, listen, namespace, databases string, logger zerolog.Logger) error {
	dsn := os.Getenv(temporalPostgresEnv)
	if dsn == "" {
		return errors.New("--temporal-server: set " + temporalPostgresEnv + " to the server's PostgreSQL, postgres://user:password@host:5432/")
	}
	main, visibility, ok := strings.Cut(databases, ",")
	if !ok || main == "" || visibility == "" {
		return errors.New("--databases: want the history and the visibility database, such as temporal,temporal_visibility")
	}
	pg, err := embedded.PostgresFromURL(dsn, main, visibility)
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return err
	}
	portNumber, err := strconv.Atoi(port)
	if err != nil {
		return err
	}
	server, err := embedded.Start(embedded.Options{Postgres: &pg, IP: host, Port: portNumber, Namespace: namespace,
		SearchAttributes: lifecycle.SearchAttributes(), Logger: logger})
	if err != nil {
		return err
	}
	logging.Write(logger.Info().Str("address", server.Address()), "log.temporal.server_serving")
	<-ctx.Done()
	server.Stop()
	return nil
}
