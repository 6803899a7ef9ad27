package cli

import (
	"context"
	"fmt"
	"github.com/scoreflow/scoreflow/activities"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/internal/clients"
	"github.com/scoreflow/scoreflow/internal/store"
)

// historyRow is a tenant's Secure Score on one day.
type historyRow struct {
	Day             string        `json:"day"`
	Score           float64       `json:"score"`
	MaxScore        float64       `json:"max_score"`
	Percent         float64       `json:"percent"`
	EnabledServices []string      `json:"enabled_services"`
	Comparisons     []comparisonJ `json:"comparisons"`
	Demo            bool          `json:"demo,omitempty"`
}

type comparisonJ struct {
	Basis        string  `json:"basis"`
	AverageScore float64 `json:"average_score"`
}

// runHistory prints a tenant's daily Secure Score from the store, or, as
// "history import", records Graph's 90 days of it now.
func runHistory(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 && args[0] == "import" {
		return runHistoryImport(ctx, env, args[1:])
	}
	r, err := env.parseReport(flagsFor("history"), args, "365d")
	if err != nil {
		return err
	}
	days, err := readStore(ctx, env, func(db *store.DB) ([]store.TenantDay, error) { return db.Days(ctx, r.tenant, r.since) })
	if err != nil {
		return err
	}
	rows := make([]historyRow, len(days))
	for i, d := range days {
		rows[i] = historyRow{Day: d.Day.Format(time.DateOnly), Score: round2(d.CurrentScore), MaxScore: round2(d.MaxScore),
			Percent: round2(d.Percent()), EnabledServices: d.EnabledServices, Demo: d.Demo}
		for _, c := range d.Comparisons {
			rows[i].Comparisons = append(rows[i].Comparisons, comparisonJ{Basis: c.Basis, AverageScore: c.AverageScore})
		}
	}
	return table[historyRow]{
		header: []string{"day", "score", "max_score", "percent", "enabled_services", "comparisons", "demo"},
		rows:   rows,
		cells: func(r historyRow) []string {
			var comparisons []string
			for _, c := range r.Comparisons {
				comparisons = append(comparisons, c.Basis+"="+number(c.AverageScore))
			}
			return []string{r.Day, number(r.Score), number(r.MaxScore), number(r.Percent),
				strings.Join(r.EnabledServices, " "), strings.Join(comparisons, " "), strconv.FormatBool(r.Demo)}
		},
	}.write(env.out, r.format)
}

// runHistoryImport reads the tenant's 90 days from Graph and records them,
// over what the store holds of those days.
func runHistoryImport(ctx context.Context, env *environment, args []string) error {
	fs := flagsFor("history import")
	tenant := fs.String("tenant", "", "the tenant")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *tenant == "" {
		return fmt.Errorf("%w: --tenant is required", errUsage)
	}
	if err := env.tenant(*tenant); err != nil {
		return err
	}
	db, err := env.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	secureScore, err := clients.SecureScore(env.cfg)
	if err != nil {
		return err
	}
	history := activities.History{Store: db, Graph: secureScore.Clients}
	days, err := history.ImportDays(ctx, secureScore, *tenant)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.out, env.texts.Count("cli.history.imported", days, "Tenant", *tenant, "Where", db.Where()))
	return nil
}

// number prints a score to the hundredth, as Microsoft's portal does,
// without trailing zeros: sums of Graph's values carry float noise.
func number(f float64) string { return strconv.FormatFloat(round2(f), 'f', -1, 64) }

func round2(f float64) float64 { return math.Round(f*100) / 100 }
