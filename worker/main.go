// Command worker runs scoreflow: the Temporal worker and the HTTP gateway,
// with an embedded Temporal server and Web UI when temporal.address is empty.
//
//	go run ./worker --config scoreflow.yaml
//	go run ./worker --demo
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/scoreflow/scoreflow/config"
	"github.com/scoreflow/scoreflow/demo"
	"github.com/scoreflow/scoreflow/logging"
	"github.com/scoreflow/scoreflow/service"
)

func main() {
	flags := flag.NewFlagSet("worker", flag.ContinueOnError)
	configPath := flags.String("config", os.Getenv(config.EnvVar), "path of scoreflow.yaml (default $"+config.EnvVar+")")
	demoMode := flags.Bool("demo", false, "run the built-in Contoso demo: embedded Temporal and Web UI, no account needed")
	dataDir := flags.String("data", "data/demo", "with --demo: where the demo keeps its Temporal database and its config")
	mspLanguage := flags.String("msp-language", "en", "with --demo: the MSP's language, en or nl (Jira, the Web UI, the starter, the log)")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "usage: worker --config scoreflow.yaml | worker --demo")
		flags.PrintDefaults()
	}
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	logger := logging.New(os.Stderr)

	var cfg *config.Config
	var err error
	var options service.Options
	var d *demo.Environment
	switch {
	case *demoMode:
		if d, err = demo.Start(*dataDir, *mspLanguage); err == nil {
			defer d.Close()
			cfg, options.SweepAtStart = d.Config, true
			options.OnReady = func(ready service.Ready) {
				fmt.Fprint(os.Stderr, d.Banner(ready.UIAddress, ready.GatewayAddress, ready.DashboardAddress))
			}
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
	if d != nil {
		d.LogSimulators(logger)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := service.Run(ctx, cfg, logger, options); err != nil {
		logging.Say(logger.Error().Err(err), "log.worker.failed")
		stop()
		os.Exit(1)
	}
}
