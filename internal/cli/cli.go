// Package cli is scoreflow's command-line tool, the starter: list,
// show, sweep, digest, verdict and decide, each reading or driving Temporal;
// history, changes and audit, reading the store; tenant, checking a
// tenant's access; and demo, which drives the running demo.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"time"

	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// command is one operator action.
type command struct {
	usage string
	// summary is the message id of what it does (texts).
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
	// offline commands talk to no Temporal: the environment has no client.
	offline bool
}

// environment is what every command gets: the config, a Temporal client and where to print.
type environment struct {
	cfg    *config.Config
	texts  *texts.Texts // the MSP's language (config msp_language)
	client client.Client
	out    io.Writer
	errOut io.Writer // for warnings beside the output
}

var commands = map[string]command{
	"list":   {"list [--tenant ID] [--stage STAGE]", "cli.command.list", runList, false},
	"show":   {"show TENANT CONTROL", "cli.command.show", runShow, false},
	"sweep":  {"sweep --tenant ID", "cli.command.sweep", runSweep, false},
	"digest": {"digest --tenant ID", "cli.command.digest", runDigest, false},
	"audit":  {"audit --tenant ID --since 90d [--format csv|json] [--store-only]", "cli.command.audit", runAudit, true},
	"history": {"history --tenant ID --since 365d [--format csv|json] | history import --tenant ID",
		"cli.command.history", runHistory, true},
	"changes": {"changes --tenant ID --since 90d [--format csv|json]", "cli.command.changes", runChanges, true},
	"verdict": {"verdict TENANT CONTROL VERDICT --by NAME [--advice TEXT]", "cli.command.verdict", runVerdict, false},
	"decide":  {"decide TENANT CONTROL DECISION --by NAME [--reason TEXT]", "cli.command.decide", runDecide, false},
	"bulk-verdict": {"bulk-verdict CONTROL VERDICT (--tenants ID,ID | --all) --by NAME [--advice TEXT] [--yes]",
		"cli.command.bulk_verdict", runBulkVerdict, false},
	"tenant": {"tenant consent-url --tenant ID | tenant check (--tenant ID | --all)",
		"cli.command.tenant", runTenant, true},
}

// errUsage marks a mistake in how the command was called: exit status 2.
var errUsage = errors.New("usage")

// Run executes one command line and returns the process exit status:
// 0 done, 1 failed, 2 called wrongly (usage, config).
func Run(args []string, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("starter", flag.ContinueOnError)
	global.SetOutput(stderr)
	configPath := global.String("config", os.Getenv(config.EnvVar), "path of scoreflow.yaml (default $"+config.EnvVar+")")
	global.Usage = func() { usage(stderr, usageTexts(*configPath)) }
	if err := global.Parse(args); err != nil {
		return 2
	}
	if global.NArg() == 0 {
		usage(stderr, usageTexts(*configPath))
		return 2
	}
	name := global.Arg(0)
	if name == "demo" { // talks to the running demo, needs no config
		return runDemo(global.Args()[1:], stdout, stderr)
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "starter: unknown command %q\n\n", name)
		usage(stderr, usageTexts(*configPath))
		return 2
	}
	if *configPath == "" {
		fmt.Fprintln(stderr, "starter: no config: pass --config scoreflow.yaml or set", config.EnvVar)
		return 2
	}
	cfg, err := config.LoadForOperator(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, "starter:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	logging.SetLanguage(cfg.MSPLanguage)
	env := &environment{cfg: cfg, texts: texts.For(cfg.MSPLanguage), out: stdout, errOut: stderr}
	if !cmd.offline {
		c, code := dial(ctx, cfg, stderr)
		if c == nil {
			return code
		}
		defer c.Close()
		env.client = c
	}
	err = cmd.run(ctx, env, global.Args()[1:])
	switch {
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "starter: %v\nusage: starter %s\n", err, cmd.usage)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "starter:", err)
		return 1
	}
	return 0
}

// dial connects to the config's Temporal, or says why not and returns the exit status.
func dial(ctx context.Context, cfg *config.Config, stderr io.Writer) (client.Client, int) {
	logger := logging.New(os.Stderr).With().Str("component", "starter").Logger()
	var options client.Options
	payloads, err := temporalclient.Codec(cfg.Temporal.Encryption)
	if err == nil {
		options, err = temporalclient.Options(cfg.Temporal, logger.Level(max(logger.GetLevel(), zerolog.WarnLevel)), nil, payloads)
	}
	if err != nil {
		fmt.Fprintln(stderr, "starter:", err)
		return nil, 2
	}
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(dialCtx, options)
	if err != nil {
		fmt.Fprintf(stderr, "starter: cannot reach Temporal at %s (is the worker running?): %v\n", options.HostPort, err)
		return nil, 1
	}
	return c, 0
}

// usageTexts are the help's language: the config's msp_language when the
// config is given and reads, else English.
func usageTexts(configPath string) *texts.Texts {
	if configPath == "" {
		return texts.For(texts.English)
	}
	cfg, err := config.LoadForOperator(configPath)
	if err != nil {
		return texts.For(texts.English)
	}
	return texts.For(cfg.MSPLanguage)
}

func usage(w io.Writer, words *texts.Texts) {
	fmt.Fprintln(w, "usage: starter --config scoreflow.yaml <command> [flags]\n       starter demo move|click|detect|env ...   "+
		words.T("cli.usage.demo")+"\n\n"+words.T("cli.usage.commands"))
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %s\n        %s\n", commands[name].usage, words.T(commands[name].summary))
	}
}

// flagsFor makes a command's flag set that reports mistakes as usage errors.
func flagsFor(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// tenantFlag checks --tenant against the config, so a typo is an error, not an empty list.
func (env *environment) tenant(id string) error {
	if _, ok := env.cfg.Tenant(id); !ok {
		return fmt.Errorf("%w: unknown tenant %q (configured: %v)", errUsage, id, env.tenantIDs())
	}
	return nil
}

func (env *environment) tenantIDs() []string {
	ids := make([]string, len(env.cfg.Tenants))
	for i, t := range env.cfg.Tenants {
		ids[i] = t.ID
	}
	return ids
}
