package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	sdkclient "go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	postgresplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"

	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// Postgres is where a server keeps its data on PostgreSQL, as a cluster
// does: two databases, history and visibility, whose schemas Temporal's own
// schema tool creates and updates (go.temporal.io/server/tools/sql, with the
// schema files the server ships), never scoreflow's SQL.
type Postgres struct {
	Host       string
	Port       int
	User       string
	Password   string
	Database   string // the history database, e.g. temporal
	Visibility string // the visibility database, e.g. temporal_visibility
}

// postgresNumHistoryShards is fixed: a cluster's shard count cannot change
// once its database holds data.
const postgresNumHistoryShards = 4

// sql is the server's connection to one database, through the pgx driver
// (Temporal's postgres12_pgx plugin) rather than lib/pq (postgres12): pgx
// keeps each connection's statements prepared, so PostgreSQL parses and plans
// Temporal's few statements once rather than on every call. A new
// recommendation costs PostgreSQL a third to nearly half less CPU that way,
// and the server a tenth to a quarter less (BENCHMARKS.md, run 33).
func (p Postgres) sql(database string) *config.SQL {
	return &config.SQL{
		PluginName: postgresplugin.PluginNamePGX, DatabaseName: database,
		ConnectAddr: net.JoinHostPort(p.Host, strconv.Itoa(p.Port)), ConnectProtocol: "tcp",
		User: p.User, Password: p.Password,
		MaxConns: 20, MaxIdleConns: 20,
	}
}

// prepare creates the two databases when they are missing, and brings each
// schema to the version this server ships.
func (p Postgres) prepare(logger log.Logger) (databases, error) {
	dbs := databases{main: p.sql(p.Database), visibility: p.sql(p.Visibility)}
	for _, db := range []struct {
		cfg    *config.SQL
		schema string
	}{{dbs.main, "postgresql/v12/temporal"}, {dbs.visibility, "postgresql/v12/visibility"}} {
		if err := p.ensureSchema(*db.cfg, db.schema, logger); err != nil {
			return dbs, fmt.Errorf("Temporal on PostgreSQL: database %s: %w", db.cfg.DatabaseName, err)
		}
	}
	return dbs, nil
}

func (p Postgres) ensureSchema(cfg config.SQL, schemaName string, logger log.Logger) error {
	create := cfg
	if err := sqltool.DoCreateDatabase(&create, "postgres", logger); err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("creating it: %w", err)
	}
	conn, err := sqltool.NewConnection(&cfg, logger)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ReadSchemaVersion(); err != nil {
		// No version yet: a new database starts at 0.0, as the tool's setup-schema -v 0.0 does.
		if err := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger).Run(); err != nil {
			return fmt.Errorf("setting its schema up: %w", err)
		}
	}
	if err := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: cfg.DatabaseName, SchemaName: schemaName}, logger).Run(); err != nil {
		return fmt.Errorf("updating its schema: %w", err)
	}
	return nil
}

var errNoStore = errors.New("embedded Temporal: DBFile or Postgres is required")

// registerNamespace registers the namespace through the frontend, with
// Temporal's default retention, unless it is there already, waits until the
// frontend serves it (its cache of namespaces learns of a new one at its
// next refresh), and adds the search attributes it lacks: a namespace
// registered before a release that added some gets them too.
func registerNamespace(address, namespace string, searchAttributes map[string]enumspb.IndexedValueType) error {
	namespaces, err := sdkclient.NewNamespaceClient(sdkclient.Options{HostPort: address, Logger: logging.Temporal(zerolog.Nop())})
	if err != nil {
		return fmt.Errorf("Temporal on PostgreSQL: %w", err)
	}
	defer namespaces.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var notFound *serviceerror.NamespaceNotFound
	if _, err := namespaces.Describe(ctx, namespace); errors.As(err, &notFound) {
		retention := 30 * 24 * time.Hour
		err = namespaces.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: namespace, WorkflowExecutionRetentionPeriod: durationpb.New(retention)})
		var exists *serviceerror.NamespaceAlreadyExists
		if err != nil && !errors.As(err, &exists) {
			return fmt.Errorf("Temporal on PostgreSQL: registering namespace %q: %w", namespace, err)
		}
	} else if err != nil {
		return err
	}
	c, err := sdkclient.Dial(sdkclient.Options{HostPort: address, Namespace: namespace, Logger: logging.Temporal(zerolog.Nop())})
	if err != nil {
		return fmt.Errorf("Temporal on PostgreSQL: %w", err)
	}
	defer c.Close()
	if err := temporalclient.AwaitNamespace(ctx, c, namespace, time.Minute, func() {}); err != nil {
		return fmt.Errorf("Temporal on PostgreSQL: %w", err)
	}
	if err := temporalclient.EnsureSearchAttributes(ctx, c, namespace, searchAttributes); err != nil {
		return fmt.Errorf("Temporal on PostgreSQL: namespace %q: %w", namespace, err)
	}
	return nil
}

// PostgresFromURL reads where a server keeps its data from a PostgreSQL URL
// (postgres://user:password@host:5432/) and the names of its two databases.
func PostgresFromURL(raw, database, visibility string) (Postgres, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Hostname() == "" {
		return Postgres{}, fmt.Errorf("want a PostgreSQL URL such as postgres://temporal:PASSWORD@db:5432/, got %q", redactURL(raw))
	}
	port := 5432
	if u.Port() != "" {
		if port, err = strconv.Atoi(u.Port()); err != nil {
			return Postgres{}, fmt.Errorf("the PostgreSQL URL's port: %w", err)
		}
	}
	password, _ := u.User.Password()
	return Postgres{Host: u.Hostname(), Port: port, User: u.User.Username(), Password: password, Database: database, Visibility: visibility}, nil
}

// redactURL is a URL as it may be printed: without its password.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable)"
	}
	return u.Redacted()
}
