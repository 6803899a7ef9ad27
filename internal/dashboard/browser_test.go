package dashboard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/testutil/browser"
)

// The browser tests drive a real Chromium through sign-in and the pages, so
// what they check is what a person sees: the chart drawn by the vendored
// Chart.js under the page's Content-Security-Policy, not only the HTML.

// A customer signs in with Microsoft and sees their tenant: the score the
// store holds, the trend drawn from every recorded day, the open items, and
// one line per change the store recorded in the last three months.
func TestInABrowserACustomerSeesTheirTenant(t *testing.T) {
	h := newHarness(t)
	tab := browser.Start(t, h.entra.SPKIHash())
	h.signInInBrowser(t, tab, 0, trendDrawn)
	landed := browser.Read(t, tab, "where the browser is", chromedp.Location())
	if landed != h.web.URL+"/tenants/contoso" {
		t.Fatalf("after sign-in the browser is at %s, want Contoso's page", landed)
	}
	browser.Screenshot(t, tab, "customer-tenant")

	ctx := context.Background()
	since := h.now.AddDate(-1, 0, 0)
	days, err := h.data.Days(ctx, "contoso", since)
	if err != nil || len(days) == 0 {
		t.Fatalf("the store's days: %d, %v", len(days), err)
	}
	latest := days[len(days)-1]
	percent := browser.Read(t, tab, "the score", chromedp.Text(chromedp.CSS("#score-percent")))
	plotted := browser.Read(t, tab, "the chart's days", chromedp.Evaluate[int](`Chart.getChart("trend").data.datasets[0].data.length`))
	painted := browser.Read(t, tab, "the chart's pixels", chromedp.Evaluate[int](paintedPixels))
	if want := fmt.Sprintf("%.1f %%", 100*latest.CurrentScore/latest.MaxScore); strings.TrimSpace(percent) != want {
		t.Errorf("the page shows %q, the store's latest day is %s", percent, want)
	}
	if plotted != len(days) {
		t.Errorf("the chart plots %d days, the store holds %d", plotted, len(days))
	}
	if painted < 2000 {
		t.Errorf("the chart's canvas has %d painted pixels: it is blank", painted)
	}

	open := browser.Read(t, tab, "the open items",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#open tr.item")).map(r => r.dataset.control)`))
	if want := []string{"AdminMFAV2", "RoleOverlap"}; strings.Join(open, ",") != strings.Join(want, ",") {
		t.Errorf("open items %v, want %v (the risk accepted is listed apart)", open, want)
	}

	stored, err := h.data.Changes(ctx, "contoso", h.now.AddDate(0, -3, 0))
	if err != nil {
		t.Fatal(err)
	}
	// Every change the store holds, but a recommendation's first step
	// (detected, from no stage), which its move to triage tells already.
	var changes []store.Change
	for _, c := range stored {
		if c.Kind != store.ChangeTransition || c.Step.From != "" {
			changes = append(changes, c)
		}
	}
	rows := browser.Read(t, tab, "the changes",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#changes tr.change")).map(r => r.innerText)`))
	if len(rows) != len(changes) {
		t.Errorf("the page lists %d changes, the store holds %d: %q", len(rows), len(changes), rows)
	}
	controls, err := h.data.Controls(ctx, "contoso")
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, c := range controls {
		titles[c.ControlID] = c.Title
	}
	for _, change := range changes {
		if change.Kind != store.ChangeTransition {
			continue
		}
		title, reason := titles[change.ControlID], change.Step.Reason
		if n := countRowsWith(rows, title, reason); n != 1 {
			t.Errorf("the step %q of %q is on %d lines of the page, want one", reason, title, n)
		}
	}

	// The meeting report, from its link: the decisions needed and the chart.
	browser.Do(t, tab, "open the meeting report", chromedp.Click(chromedp.CSS("#report-link")), chromedp.WaitVisible(chromedp.CSS(trendDrawn)))
	decisions := browser.Read(t, tab, "the report's decisions",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#decisions tr[data-control]")).map(r => r.dataset.control)`))
	if strings.Join(decisions, ",") != "AdminMFAV2" {
		t.Errorf("the report's decisions needed are %v, want the one waiting for Contoso", decisions)
	}
	browser.Screenshot(t, tab, "customer-report")
}

// The MSP's specialist signs in, sees every tenant on the overview, and
// follows a tenant's link to its page.
func TestInABrowserTheMSPGoesFromTheOverviewToATenant(t *testing.T) {
	h := newHarness(t)
	tab := browser.Start(t, h.entra.SPKIHash())
	h.signInInBrowser(t, tab, 1, "#tenants")
	tenants := browser.Read(t, tab, "the overview's tenants",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#tenants tr[data-tenant]")).map(r => r.dataset.tenant).sort()`))
	if strings.Join(tenants, ",") != "contoso,fabrikam" {
		t.Errorf("the overview lists %v, want both tenants", tenants)
	}
	browser.Screenshot(t, tab, "msp-overview")

	// The overview counts what the tenant page lists: per group, and overdue.
	row := browser.Read(t, tab, "Contoso's row",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#tenants tr[data-tenant="contoso"] td')).map(td => td.innerText)`))
	browser.Do(t, tab, "open Contoso", chromedp.Click(chromedp.CSS(`#tenants tr[data-tenant="contoso"] a`)), chromedp.WaitVisible(chromedp.CSS(trendDrawn)))
	groups := browser.Read(t, tab, "Contoso's groups",
		chromedp.Evaluate[[]int](`Array.from(document.querySelectorAll("#open h3")).map(h => Number(h.innerText.match(/\((\d+)\)$/)[1]))`))
	overdue := browser.Read(t, tab, "Contoso's overdue items", chromedp.Evaluate[int](`document.querySelectorAll("#open tr.overdue").length`))
	if len(row) != 10 || strings.Join(row[3:7], " ") != strings.Trim(fmt.Sprint(groups), "[]") || row[8] != fmt.Sprint(overdue) {
		t.Errorf("the overview's row %q does not count the tenant page's groups %v and %d overdue", row, groups, overdue)
	}
	browser.Do(t, tab, "back to the overview", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#tenants")))

	browser.Do(t, tab, "open Fabrikam",
		chromedp.Click(chromedp.CSS(`#tenants tr[data-tenant="fabrikam"] a`)),
		chromedp.WaitVisible(chromedp.CSS(trendDrawn)))
	landed := browser.Read(t, tab, "where the browser is", chromedp.Location())
	heading := browser.Read(t, tab, "the heading", chromedp.Text(chromedp.CSS("h1")))
	if landed != h.web.URL+"/tenants/fabrikam" || !strings.Contains(heading, "Fabrikam") {
		t.Errorf("the link led to %s, headed %q", landed, heading)
	}
	browser.Screenshot(t, tab, "msp-fabrikam")
}

// signInInBrowser opens the dashboard, picks the user-th account on the
// simulator's login page, and waits for the page it lands on to show landmark.
func (h *harness) signInInBrowser(t *testing.T, tab context.Context, user int, landmark string) {
	t.Helper()
	browser.Do(t, tab, fmt.Sprintf("sign in as %s", users[user].Name),
		chromedp.Navigate(h.web.URL+"/"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#user-%d", user))),
		chromedp.WaitVisible(chromedp.CSS(landmark)))
}

// trendDrawn is the trend's canvas once dashboard.js has drawn the chart.
const trendDrawn = `canvas#trend[data-drawn="true"]`

// paintedPixels counts the trend canvas's pixels that are not transparent.
const paintedPixels = `(() => {
  const c = document.getElementById("trend");
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
})()`

func countRowsWith(rows []string, texts ...string) int {
	n := 0
	for _, row := range rows {
		if !slices.ContainsFunc(texts, func(text string) bool { return !strings.Contains(row, text) }) {
			n++
		}
	}
	return n
}
