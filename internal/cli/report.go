package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/store"
)

// report is what a command that prints a tenant's history is asked: whose,
// since when, and in which format.
type report struct {
	tenant string
	since  time.Time
	format string
}

// parseReport reads --tenant, --since and --format, and whatever flags
// more the command adds to fs.
func (env *environment) parseReport(fs *flag.FlagSet, args []string, defaultSince string) (report, error) {
	tenant := fs.String("tenant", "", "the tenant")
	since := fs.String("since", defaultSince, "how far back, e.g. 90d or 36h")
	format := fs.String("format", "csv", "csv or json")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *tenant == "" {
		return report{}, fmt.Errorf("%w: --tenant is required", errUsage)
	}
	window, err := config.ParseDuration(*since)
	if err != nil {
		return report{}, fmt.Errorf("%w: --since: %v", errUsage, err)
	}
	if *format != "csv" && *format != "json" {
		return report{}, fmt.Errorf("%w: --format is csv or json", errUsage)
	}
	if err := env.tenant(*tenant); err != nil {
		return report{}, err
	}
	return report{tenant: *tenant, since: time.Now().Add(-window), format: *format}, nil
}

// table is rows a command prints as CSV under a header, or as JSON.
type table[T any] struct {
	header []string
	rows   []T
	cells  func(T) []string
}

// write prints the table in the report's format.
func (t table[T]) write(out io.Writer, format string) error {
	if format == "json" {
		encoder := json.NewEncoder(out)
		encoder.SetIndent("", "  ")
		return encoder.Encode(t.rows)
	}
	w := csv.NewWriter(out)
	_ = w.Write(t.header)
	for _, r := range t.rows {
		_ = w.Write(t.cells(r))
	}
	w.Flush()
	return w.Error()
}

// readStore opens the store, reads it and closes it.
func readStore[T any](ctx context.Context, env *environment, read func(db *store.DB) (T, error)) (T, error) {
	db, err := env.openStore(ctx)
	if err != nil {
		var none T
		return none, err
	}
	defer db.Close()
	return read(db)
}

// openStore opens the store read as it is: the starter never migrates a schema
// under a running worker.
func (env *environment) openStore(ctx context.Context) (*store.DB, error) {
	if env.cfg.Store.Disabled {
		return nil, errors.New("the store is disabled (store.disabled: true): scoreflow keeps no history to read")
	}
	db, err := store.OpenCurrent(ctx, env.cfg.Store.DSN.Reveal(), env.cfg.StoreFile())
	if errors.Is(err, store.ErrUnreachable) {
		return nil, fmt.Errorf("%w (is PostgreSQL running?)", err)
	}
	return db, err
}
