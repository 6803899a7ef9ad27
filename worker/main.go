// Command worker runs scoreflow: the Temporal worker and the HTTP gateway,
// with an embedded Temporal server and Web UI when temporal.address is empty.
//
//	go run ./worker --config scoreflow.yaml
//	go run ./worker --demo
//	go run ./worker --temporal-server --listen 127.0.0.1:7233   (Temporal alone, on PostgreSQL)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/internal/app"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// demoRun is the built-in demo (demo.go): its simulators and the config that
// points the worker at them.
type demoRun struct {
	config        *config.Config
	options       app.Options
	logSimulators func(zerolog.Logger)
	close         func()
}

func main() {
	flags := flag.NewFlagSet("worker", flag.ContinueOnError)
	configPath := flags.String("config", os.Getenv(config.EnvVar), "path of scoreflow.yaml (default $"+config.EnvVar+")")
	demoMode := flags.Bool("demo", false, "run the built-in Contoso demo: embedded Temporal and Web UI, no account needed")
	dataDir := flags.String("data", "data/demo", "with --demo: where the demo keeps its Temporal database and its config")
	mspLanguage := flags.String("msp-language", "en", "with --demo: the MSP's language, en or nl (Jira, the Web UI, the starter, the log)")
	encrypt := flags.Bool("encrypt", false, "with --demo: encrypt workflow payloads, as production does (the key in --data)")
	temporalServer := flags.Bool("temporal-server", false, "run only a Temporal server on PostgreSQL ($"+temporalPostgresEnv+"), for workers on other processes")
	listen := flags.String("listen", "127.0.0.1:7233", "with --temporal-server: the frontend's host:port")
	namespace := flags.String("namespace", "default", "with --temporal-server: the namespace to register")
	databases := flags.String("databases", "temporal,temporal_visibility", "with --temporal-server: its history and visibility databases")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "usage: worker --config scoreflow.yaml | worker --demo | worker --temporal-server")
		flags.PrintDefaults()
	}
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	logger := logging.New(os.Stderr)
	if *temporalServer {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := runTemporalServer(ctx, *listen, *namespace, *databases, logger); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			stop()
			os.Exit(1)
		}
		return
	}

	var cfg *config.Config
	var err error
	var options app.Options
	var demo *demoRun
	switch {
	case *demoMode:
		if demo, err = startDemo(*dataDir, *mspLanguage, *encrypt); err == nil {
			defer demo.close()
			cfg, options = demo.config, demo.options
		}
	case *configPath == "":
		err = errors.New("no config: pass --config scoreflow.yaml, set " + config.EnvVar + ", or try --demo")
	default:
		cfg, err = config.Load(*configPath)
	}
	if err != nil {
		// A bad config stops the program before it starts anything.
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(2)
	}
	logging.SetLanguage(cfg.MSPLanguage)
	if demo != nil {
		demo.logSimulators(logger)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, logger, options); err != nil {
		logging.Write(logger.Error().Err(err), "log.worker.failed")
		stop()
		os.Exit(1)
	}
}
