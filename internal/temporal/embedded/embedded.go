// Package embedded runs a Temporal server and its Web UI inside the worker
// process, persisted in one SQLite file, for development, the demo and small
// installations. It is the only package that links go.temporal.io/server, so
// the rest of scoreflow builds and tests without it.
package embedded

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uioptions "github.com/temporalio/ui-server/v2/server/server_options"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"

	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/freeport"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/serverlog"
)

// Options say where the embedded server listens and keeps its data.
type Options struct {
	DBFile string // created with the schema on first start, reused afterwards
	// Postgres, instead of DBFile, keeps the server's data in PostgreSQL:
	// the cluster topology, with the server as a process of its own.
	Postgres  *Postgres
	IP        string
	Port      int // frontend gRPC, where workers and the starter connect
	UIPort    int // 0: no Web UI
	Namespace string
	// SearchAttributes are registered in the namespace when it is created.
	SearchAttributes map[string]enumspb.IndexedValueType
	// HistoryCacheSize bounds the host-level workflow cache (entries; see
	// config.DefaultHistoryCacheSize). 0: the server's own default.
	HistoryCacheSize int
	Logger           zerolog.Logger
	// UIIP is where the Web UI listens; empty, IP.
	UIIP string
	// UIAuth, when set, makes the Web UI sign people in and lets only
	// those it allows use its API.
	UIAuth *UIAuth
	// CodecEndpoint is where the Web UI's browser sends payloads to be
	// decoded (scoreflow's codec endpoint); empty, it shows them as they are.
	CodecEndpoint string
}

// Server is a running embedded Temporal server with its UI.
type Server struct {
	server temporal.Server
	ui     *uiserver.Server
	opts   Options
	logger serverlog.Logger
}

const (
	clusterName = "active"
	// clusterID is fixed so the database's cluster metadata matches on every start.
	clusterID = "6f9d3e2a-5c1b-4f7e-9a8d-2b3c4d5e6f70"
)

// Start creates the database if needed, registers the namespace and starts
// the server and the UI. It returns once the frontend accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.Namespace == "" || opts.Port == 0 {
		return nil, errors.New("embedded Temporal: Namespace and Port are required")
	}
	if (opts.DBFile == "") == (opts.Postgres == nil) {
		return nil, errNoStore
	}
	if opts.IP == "" {
		opts.IP = "127.0.0.1"
	}
	logger := serverlog.New(opts.Logger)
	var dbs databases
	var err error
	if opts.Postgres != nil {
		dbs, err = opts.Postgres.prepare(logger)
	} else {
		dbs, err = prepareDatabase(opts)
	}
	if err != nil {
		return nil, err
	}
	server, err := newServer(opts, dbs, logger)
	if err != nil {
		return nil, err
	}
	s := &Server{server: server, opts: opts, logger: logger}
	if opts.UIPort != 0 && opts.UIAuth != nil {
		// The UI server looks its sign-in provider up as it is built, and
		// ends the process if that fails: without the provider the UI stays
		// off, and never opens without its sign-in.
		if err := opts.UIAuth.reachable(); err != nil {
			logging.Write(opts.Logger.Error().Err(err), "log.temporal.ui_signin_unreachable")
			opts.UIPort = 0
		}
	}
	if opts.UIPort != 0 {
		s.ui = uiServer(opts)
		// The UI server's Start blocks; a failure there (port taken) is logged, not fatal:
		// workflows keep running without their window.
		go func() {
			if err := s.ui.Start(); err != nil {
				logging.Write(opts.Logger.Error().Err(err).Int("port", opts.UIPort), "log.temporal.ui_stopped")
			}
		}()
	}
	if err := server.Start(); err != nil {
		if s.ui != nil {
			s.ui.Stop()
		}
		return nil, fmt.Errorf("embedded Temporal: starting Temporal: %w", err)
	}
	if opts.Postgres != nil {
		// On SQLite the namespace and its search attributes are written with
		// the schema; on PostgreSQL they are registered through the
		// frontend, as an operator would.
		if err := registerNamespace(s.Address(), opts.Namespace, opts.SearchAttributes); err != nil {
			s.Stop()
			return nil, err
		}
	}
	return s, nil
}

// newServer builds the server on free ports for its internal services. A
// port found free can still be taken by another process before the server
// binds it; that fails the build with the port's address, and is not tried
// again: the failed build keeps the listeners it had already opened (the
// frontend's among them), which nothing can close, so a second build on the
// same frontend port would fail too. freeport's ports lie below the ephemeral
// range, and no process of this machine that draws through freeport is
// handed one another has (the tests' servers do), so only a process that
// picks ports some other way can still take one first.
func newServer(opts Options, dbs databases, logger serverlog.Logger) (temporal.Server, error) {
	conf, err := serverConfig(opts, dbs)
	if err != nil {
		return nil, err
	}
	var server temporal.Server
	err = logger.Build(func() (err error) {
		server, err = temporal.NewServer(
			temporal.WithConfig(conf),
			temporal.ForServices(temporal.DefaultServices),
			temporal.WithStaticHosts(staticHosts(conf)),
			temporal.WithLogger(logger),
			temporal.WithDynamicConfigClient(dynamicConfig(opts)),
		)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("embedded Temporal: %w", err)
	}
	return server, nil
}

// Address is the frontend's host:port.
func (s *Server) Address() string {
	return net.JoinHostPort(s.opts.IP, strconv.Itoa(s.opts.Port))
}

// UIAddress is the Web UI's URL, or "" when it is off.
func (s *Server) UIAddress() string {
	if s.ui == nil {
		return ""
	}
	return "http://" + net.JoinHostPort(cmp.Or(s.opts.UIIP, s.opts.IP), strconv.Itoa(s.opts.UIPort))
}

// Stop stops the UI and the server; the database file stays for the next start.
func (s *Server) Stop() {
	s.logger.Stopping()
	if s.ui != nil {
		s.ui.Stop()
	}
	if err := s.server.Stop(); err != nil {
		logging.Write(s.opts.Logger.Warn().Err(err), "log.temporal.server_stopped")
	}
}

// databases are the SQLite files the server keeps its data in.
type databases struct {
	main, visibility *config.SQL
}

// sqliteConfig is one SQLite file as Temporal's plugin opens it.
func sqliteConfig(file string) *config.SQL {
	return &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: file,
		// Temporal's SQLite plugin passes every key but SQLite's URI parameters
		// (mode) as a PRAGMA of that exact name, so these are PRAGMA names.
		// WAL with synchronous=NORMAL syncs at checkpoints, not at every commit:
		// a killed process loses nothing, a power cut at most the last commits.
		// BENCHMARKS.md has the measurements behind this.
		ConnectAttributes: map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": "NORMAL", "busy_timeout": "10000"},
	}
}

// visibilityFile is where the server keeps visibility (the UI's and the
// starter's lists): a second file has its own writer, so recording a started
// workflow does not wait for history writes (the fan-out profile in
// BENCHMARKS.md).
func visibilityFile(dbFile string) string {
	return strings.TrimSuffix(dbFile, filepath.Ext(dbFile)) + "-visibility" + filepath.Ext(dbFile)
}

func prepareDatabase(opts Options) (databases, error) {
	dbs := databases{main: sqliteConfig(opts.DBFile), visibility: sqliteConfig(visibilityFile(opts.DBFile))}
	_, mainErr := os.Stat(opts.DBFile)
	_, visibilityErr := os.Stat(dbs.visibility.DatabaseName)
	switch {
	case errors.Is(mainErr, os.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(opts.DBFile), 0o750); err != nil {
			return dbs, fmt.Errorf("embedded Temporal: creating the database directory: %w", err)
		}
		for _, db := range []*config.SQL{dbs.main, dbs.visibility} {
			_ = os.Remove(db.DatabaseName) // a visibility file left without its main file is stale
			if err := sqliteschema.SetupSchema(db); err != nil {
				return dbs, fmt.Errorf("embedded Temporal: creating the schema in %s: %w", db.DatabaseName, err)
			}
		}
	case errors.Is(visibilityErr, os.ErrNotExist):
		// Only the development versions before v0.1.0 kept one file, and
		// their workflows do not replay on this release.
		return dbs, fmt.Errorf("embedded Temporal: %s has no %s beside it: it was made by a development version "+
			"before v0.1.0, whose workflows cannot run on this release; move it away to start afresh",
			opts.DBFile, filepath.Base(dbs.visibility.DatabaseName))
	}
	namespace, err := sqliteschema.NewNamespaceConfig(clusterName, opts.Namespace, false, opts.SearchAttributes)
	if err != nil {
		return dbs, fmt.Errorf("embedded Temporal: %w", err)
	}
	// Creates the namespace only when it is missing: a restart keeps its history.
	if err := sqliteschema.CreateNamespaces(dbs.main, namespace); err != nil {
		return dbs, fmt.Errorf("embedded Temporal: registering namespace %q: %w", opts.Namespace, err)
	}
	return dbs, nil
}

func serverConfig(opts Options, dbs databases) (*config.Config, error) {
	frontend := net.JoinHostPort(opts.IP, strconv.Itoa(opts.Port))
	// The HTTP port and the gRPC ports of history, matching and worker; not
	// the frontend's or the UI's, which are bound later.
	ports, err := freeport.Take(opts.IP, 4, opts.Port, opts.UIPort)
	if err != nil {
		return nil, fmt.Errorf("embedded Temporal: %w", err)
	}
	httpPort, internalPorts := ports[0], ports[1:]
	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30_000_000_000 // 30 s
	conf.Global.Membership.BroadcastAddress = opts.IP
	conf.Persistence.DefaultStore = "default"
	conf.Persistence.VisibilityStore = "visibility"
	conf.Persistence.NumHistoryShards = 1
	if opts.Postgres != nil {
		conf.Persistence.NumHistoryShards = postgresNumHistoryShards
	}
	conf.Persistence.DataStores = map[string]config.DataStore{"default": {SQL: dbs.main}, "visibility": {SQL: dbs.visibility}}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {
			Enabled:                true,
			InitialFailoverVersion: 1,
			RPCAddress:             frontend,
			HTTPAddress:            net.JoinHostPort(opts.IP, strconv.Itoa(httpPort)),
			ClusterID:              clusterID,
		}},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	conf.Services["frontend"] = config.Service{RPC: config.RPC{BindOnIP: opts.IP, GRPCPort: opts.Port, HTTPPort: httpPort}}
	for i, name := range []string{"history", "matching", "worker"} {
		conf.Services[name] = config.Service{RPC: config.RPC{BindOnIP: opts.IP, GRPCPort: internalPorts[i]}}
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = frontend
	return &conf, nil
}

func staticHosts(conf *config.Config) map[primitives.ServiceName]static.Hosts {
	hosts := map[primitives.ServiceName]static.Hosts{}
	for _, name := range []primitives.ServiceName{primitives.FrontendService, primitives.HistoryService, primitives.MatchingService, primitives.WorkerService} {
		rpc := conf.Services[string(name)].RPC
		hosts[name] = static.SingleLocalHost(net.JoinHostPort(rpc.BindOnIP, strconv.Itoa(rpc.GRPCPort)))
	}
	return hosts
}

// visibilityWorkers is how many visibility tasks the embedded server runs at
// once: the one connection to the visibility file writes them one by one.
const visibilityWorkers = 8

// queueCheckpointInterval is how often the transfer and visibility queues
// drop the tasks they have executed from memory and delete them from the
// database. The shard record is still written at its own, slower pace.
const queueCheckpointInterval = time.Second

// dynamicConfig tunes the server for one host. ForceSearchAttributesCacheRefreshOnRead,
// which Temporal's own dev server sets, stays off: it read the cluster
// metadata from SQLite on every request that carries search attributes, 9% of
// the onboarding fan-out's allocations (BENCHMARKS.md). scoreflow's attributes
// are in the database before the server starts (prepareDatabase), so the
// cache has them from its first load.
func dynamicConfig(opts Options) dynamicconfig.StaticClient {
	settings := dynamicconfig.StaticClient{
		// The starter's list and audit read visibility; the default rate limit is for shared clusters.
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		// One host needs no task-queue partitions. With the default four, tasks
		// written to a partition without a waiting poller sat there: a 50-tenant
		// fan-out stalled for 55 s with pollers idle (BENCHMARKS.md).
		// New tasks all go to the root partition; reads keep Temporal's default.
		dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): 1,
		// Visibility has one SQLite connection. With the default 512 workers
		// sharing it, a backlog such as a new tenant's onboarding queued tasks
		// past their 3-second deadline, and each retry did its work again:
		// 10,216 timed-out attempts for 16,000 writes in an onboarding of
		// 8,000 (BENCHMARKS.md). A few workers keep the connection busy.
		dynamicconfig.VisibilityProcessorSchedulerWorkerCount.Key(): visibilityWorkers,
		// A queue forgets its executed tasks only at a checkpoint, and until
		// then every new task splits the list of all of them again: with the
		// default 30 s, visibility held thousands during an onboarding and
		// splitting them took 11% of the worker's CPU (BENCHMARKS.md).
		dynamicconfig.VisibilityProcessorUpdateAckInterval.Key(): queueCheckpointInterval,
		dynamicconfig.TransferProcessorUpdateAckInterval.Key():   queueCheckpointInterval,
	}
	if opts.Postgres != nil {
		// A namespace registered through the frontend is served at the
		// cache's next refresh: every second, not every ten. On SQL
		// visibility a custom search attribute is an alias in the
		// namespace's record, so the same refresh serves attributes a
		// worker adds; ForceSearchAttributesCacheRefreshOnRead stays off,
		// as on SQLite.
		settings[dynamicconfig.NamespaceCacheRefreshInterval.Key()] = time.Second
	}
	if opts.HistoryCacheSize > 0 {
		settings[dynamicconfig.HistoryCacheHostLevelMaxSize.Key()] = opts.HistoryCacheSize
	}
	return settings
}

func uiServer(opts Options) *uiserver.Server {
	cfg := &uiconfig.Config{
		Host:                cmp.Or(opts.UIIP, opts.IP),
		Port:                opts.UIPort,
		TemporalGRPCAddress: net.JoinHostPort(opts.IP, strconv.Itoa(opts.Port)),
		EnableUI:            true,
		DefaultNamespace:    opts.Namespace,
		CORS:                uiconfig.CORS{CookieInsecure: true},
		HideLogs:            true,
		// No internet here or at many MSPs: do not fetch release news.
		DisableNewsFetch: true,
	}
	if opts.CodecEndpoint != "" {
		// The codec endpoint decodes for staff only, so it needs to know who
		// asks: the UI sends the signed-in person's ID token to an https
		// endpoint (it sends none over http), and the browser sends the
		// UI's own cookies, which hold it, to any port of the UI's host.
		cfg.Codec = uiconfig.Codec{Endpoint: opts.CodecEndpoint, IncludeCredentials: true,
			PassAccessToken: strings.HasPrefix(opts.CodecEndpoint, "https://")}
	}
	if opts.UIAuth == nil {
		return uiserver.NewServer(uioptions.WithConfigProvider(cfg))
	}
	cfg.Auth = opts.UIAuth.config()
	cfg.CORS.CookieInsecure = !strings.HasPrefix(opts.UIAuth.CallbackURL, "https://")
	return uiserver.NewServer(uioptions.WithConfigProvider(cfg), uioptions.WithAPIMiddleware(opts.UIAuth.middleware()))
}
