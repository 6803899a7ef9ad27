package dashboard

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// overviewRow is a tenant in the MSP's overview.
type overviewRow struct {
	ID, Name        string
	Recorded        bool
	Percent, Change float64 // percent now, and its change over 30 days in points
	Open            [4]int  // open recommendations per group of waitingFor
	Critical        int     // critical decisions waiting
	CriticalSince   time.Time
	Overdue         int                   // escalated decisions and changes Microsoft has not detected in time
	Alert           *lifecycle.ScoreAlert // the newest score-drop alert still showing; nil: none
	openPoints      float64               // the points the tenant's licences allow and it lacks
}

// fleetTotals sum up the tenants the overview shows.
type fleetTotals struct {
	Tenants         int
	Bands           [4]int // tenants scoring below 25 %, 25–50 %, 50–75 %, 75 % and more
	Unscored        int    // tenants with no recorded score
	OpenPoints      float64
	Decisions       int // recommendations waiting for the customer's decision
	CriticalWaiting int
}

func totalsOf(rows []overviewRow) fleetTotals {
	t := fleetTotals{Tenants: len(rows)}
	for _, row := range rows {
		if row.Recorded {
			t.Bands[min(int(row.Percent/25), 3)]++
		} else {
			t.Unscored++
		}
		t.OpenPoints += row.openPoints
		t.Decisions += row.Open[0]
		t.CriticalWaiting += row.Critical
	}
	return t
}

// overviewSorts are the orders the overview offers; the first answers
// "where do we act today".
var overviewSorts = map[string]func(a, b overviewRow) int{
	"today": func(a, b overviewRow) int {
		return cmp.Or(oldestFirst(a, b), cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(a.Change, b.Change), cmp.Compare(a.Name, b.Name))
	},
	"name": func(a, b overviewRow) int { return cmp.Compare(a.Name, b.Name) },
	"score": func(a, b overviewRow) int {
		return cmp.Or(cmp.Compare(a.Percent, b.Percent), cmp.Compare(a.Name, b.Name))
	},
	"change": func(a, b overviewRow) int {
		return cmp.Or(cmp.Compare(a.Change, b.Change), cmp.Compare(a.Name, b.Name))
	},
	"overdue": func(a, b overviewRow) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(a.Name, b.Name))
	},
}

// newOverviewRow sums up a tenant in one line: its score now and 30 days
// ago, and its open recommendations counted by stage.
func (s *Server) newOverviewRow(t config.Tenant, month []store.TenantDay, counts []store.StageCount) overviewRow {
	row := overviewRow{ID: t.ID, Name: t.Name}
	latest, monthAgo := s.scoreNow(month)
	if row.Recorded = latest.MaxScore > 0; row.Recorded {
		row.Percent, row.Change = latest.Percent(), latest.Percent()-monthAgo.Percent()
		row.openPoints = max(latest.MaxScore-latest.CurrentScore, 0)
	}
	scope := graph.NewScope(t.Products)
	for _, c := range counts {
		if !inScope(scope, c.Service) {
			continue
		}
		if i := groupOf(c.Stage); i >= 0 {
			row.Open[i] += c.Count
		}
		row.Overdue += c.Overdue
		if c.Stage == lifecycle.StageAwaitingDecision && c.Critical {
			row.Critical += c.Count
			if row.CriticalSince.IsZero() || c.Oldest.Before(row.CriticalSince) {
				row.CriticalSince = c.Oldest
			}
		}
	}
	return row
}

// oldestFirst puts tenants with critical decisions first, the longest waiting first.
func oldestFirst(a, b overviewRow) int {
	switch {
	case a.Critical > 0 && b.Critical > 0:
		return a.CriticalSince.Compare(b.CriticalSince)
	case a.Critical > 0:
		return -1
	case b.Critical > 0:
		return 1
	}
	return 0
}

// overview is every tenant the viewer may see in one table, filtered by
// ?q= (name or id) and ordered by ?sort=.
func (s *Server) overview(w http.ResponseWriter, r *http.Request, v Viewer) {
	query := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	order := r.URL.Query().Get("sort")
	if _, known := overviewSorts[order]; !known {
		order = "today"
	}
	var tenants []config.Tenant
	var ids []string
	for _, t := range v.Tenants(s.cfg) {
		if query == "" || strings.Contains(strings.ToLower(t.Name+" "+t.ID), query) {
			tenants, ids = append(tenants, t), append(ids, t.ID)
		}
	}
	// Two reads for all the tenants at once: the overview of 1,000 tenants
	// stays one page view, not thousands of queries (BENCHMARKS.md).
	months, err := s.data.LatestDays(r.Context(), ids, s.monthAgo())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.data.OpenCounts(r.Context(), s.now(), s.deadlines())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	alerts, err := s.data.OpenAlerts(r.Context(), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byTenant := map[string][]store.StageCount{}
	for _, c := range counts {
		byTenant[c.TenantID] = append(byTenant[c.TenantID], c)
	}
	var rows []overviewRow
	for _, t := range tenants {
		row := s.newOverviewRow(t, months[t.ID], byTenant[t.ID])
		if open := alerts[t.ID]; len(open) > 0 {
			row.Alert = &open[0]
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, overviewSorts[order])
	if wantsCSV(r) {
		writeOverviewCSV(w, rows)
		return
	}
	s.render(w, r, http.StatusOK, "overview", pageData{Title: "All tenants", Viewer: &v,
		Content: struct {
			Rows   []overviewRow
			Totals fleetTotals
			Query  string
			Sort   string
		}{rows, totalsOf(rows), query, order}})
}

// writeOverviewCSV is the overview's table to download.
func writeOverviewCSV(w http.ResponseWriter, rows []overviewRow) {
	var table [][]string
	for _, row := range rows {
		percent, change := "", ""
		if row.Recorded {
			percent, change = strconv.FormatFloat(row.Percent, 'f', 1, 64), strconv.FormatFloat(row.Change, 'f', 1, 64)
		}
		since := ""
		if row.Critical > 0 {
			since = row.CriticalSince.UTC().Format(time.DateOnly)
		}
		line := []string{row.ID, row.Name, percent, change}
		for _, open := range row.Open {
			line = append(line, strconv.Itoa(open))
		}
		table = append(table, append(line, strconv.Itoa(row.Critical), since, strconv.Itoa(row.Overdue)))
	}
	writeCSV(w, "tenants", []string{"tenant", "name", "score_percent", "change_30d", "decision", "specialist", "planned", "detection",
		"critical_waiting", "critical_since", "overdue"}, table)
}
