package dashboard

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scoreflow/scoreflow/internal/store"
)

// The browser tests drive a real Chromium through sign-in and the pages, so
// what they check is what a person sees: the chart drawn by the vendored
// Chart.js under the page's Content-Security-Policy, not only the HTML.

// A customer signs in with Microsoft and sees their tenant: the score the
// store holds, the trend drawn from every recorded day, the open items, and
// one line per change the store recorded in the last three months.
func TestInABrowserACustomerSeesTheirTenant(t *testing.T) {
	h := newHarness(t)
	tab := h.chromium(t)
	h.signInInBrowser(t, tab, 0, trendDrawn)
	landed := read(t, tab, "where the browser is", chromedp.Location())
	if landed != h.web.URL+"/tenants/contoso" {
		t.Fatalf("after sign-in the browser is at %s, want Contoso's page", landed)
	}
	screenshot(t, tab, "customer-tenant")

	ctx := context.Background()
	since := h.now.AddDate(-1, 0, 0)
	days, err := h.data.Days(ctx, "contoso", since)
	if err != nil || len(days) == 0 {
		t.Fatalf("the store's days: %d, %v", len(days), err)
	}
	latest := days[len(days)-1]
	percent := read(t, tab, "the score", chromedp.Text(chromedp.CSS("#score-percent")))
	plotted := read(t, tab, "the chart's days", chromedp.Evaluate[int](`Chart.getChart("trend").data.datasets[0].data.length`))
	painted := read(t, tab, "the chart's pixels", chromedp.Evaluate[int](paintedPixels))
	if want := fmt.Sprintf("%.1f %%", 100*latest.CurrentScore/latest.MaxScore); strings.TrimSpace(percent) != want {
		t.Errorf("the page shows %q, the store's latest day is %s", percent, want)
	}
	if plotted != len(days) {
		t.Errorf("the chart plots %d days, the store holds %d", plotted, len(days))
	}
	if painted < 2000 {
		t.Errorf("the chart's canvas has %d painted pixels: it is blank", painted)
	}

	open := read(t, tab, "the open items",
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
	rows := read(t, tab, "the changes",
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
	do(t, tab, "open the meeting report", chromedp.Click(chromedp.CSS("#report-link")), chromedp.WaitVisible(chromedp.CSS(trendDrawn)))
	decisions := read(t, tab, "the report's decisions",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#decisions tr[data-control]")).map(r => r.dataset.control)`))
	if strings.Join(decisions, ",") != "AdminMFAV2" {
		t.Errorf("the report's decisions needed are %v, want the one waiting for Contoso", decisions)
	}
	screenshot(t, tab, "customer-report")
}

// The MSP's specialist signs in, sees every tenant on the overview, and
// follows a tenant's link to its page.
func TestInABrowserTheMSPGoesFromTheOverviewToATenant(t *testing.T) {
	h := newHarness(t)
	tab := h.chromium(t)
	h.signInInBrowser(t, tab, 1, "#tenants")
	tenants := read(t, tab, "the overview's tenants",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#tenants tr[data-tenant]")).map(r => r.dataset.tenant).sort()`))
	if strings.Join(tenants, ",") != "contoso,fabrikam" {
		t.Errorf("the overview lists %v, want both tenants", tenants)
	}
	screenshot(t, tab, "msp-overview")

	// The overview counts what the tenant page lists: per group, and overdue.
	row := read(t, tab, "Contoso's row",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#tenants tr[data-tenant="contoso"] td')).map(td => td.innerText)`))
	do(t, tab, "open Contoso", chromedp.Click(chromedp.CSS(`#tenants tr[data-tenant="contoso"] a`)), chromedp.WaitVisible(chromedp.CSS(trendDrawn)))
	groups := read(t, tab, "Contoso's groups",
		chromedp.Evaluate[[]int](`Array.from(document.querySelectorAll("#open h3")).map(h => Number(h.innerText.match(/\((\d+)\)$/)[1]))`))
	overdue := read(t, tab, "Contoso's overdue items", chromedp.Evaluate[int](`document.querySelectorAll("#open tr.overdue").length`))
	if len(row) != 9 || strings.Join(row[3:7], " ") != strings.Trim(fmt.Sprint(groups), "[]") || row[8] != fmt.Sprint(overdue) {
		t.Errorf("the overview's row %q does not count the tenant page's groups %v and %d overdue", row, groups, overdue)
	}
	do(t, tab, "back to the overview", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#tenants")))

	do(t, tab, "open Fabrikam",
		chromedp.Click(chromedp.CSS(`#tenants tr[data-tenant="fabrikam"] a`)),
		chromedp.WaitVisible(chromedp.CSS(trendDrawn)))
	landed := read(t, tab, "where the browser is", chromedp.Location())
	heading := read(t, tab, "the heading", chromedp.Text(chromedp.CSS("h1")))
	if landed != h.web.URL+"/tenants/fabrikam" || !strings.Contains(heading, "Fabrikam") {
		t.Errorf("the link led to %s, headed %q", landed, heading)
	}
	screenshot(t, tab, "msp-fabrikam")
}

// signInInBrowser opens the dashboard, picks the user-th account on the
// simulator's login page, and waits for the page it lands on to show landmark.
func (h *harness) signInInBrowser(t *testing.T, tab context.Context, user int, landmark string) {
	t.Helper()
	do(t, tab, fmt.Sprintf("sign in as %s", users[user].Name),
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

// chromium starts a headless Chromium for the test, trusting the Entra ID
// simulator's certificate and no other. Without Chromium on PATH the test
// is skipped, except in CI, where it fails.
func (h *harness) chromium(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not on PATH; CI installs it (.ci/run)")
		}
		t.Skip("browser test: Chromium is not installed (apt-get install -y chromium)")
	}
	options := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("chromium"),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("ignore-certificate-errors-spki-list", h.entra.SPKIHash()),
		chromedp.WindowSize(1280, 1024))
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), options...)
	tab, cancelTab := chromedp.NewContext(allocator)
	t.Cleanup(func() {
		cancelTab()
		cancelAllocator()
	})
	// The first run starts the browser, with no bound: a bound on it would
	// stop the browser when it ends.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return tab
}

// do runs the steps within a bound, so a page that never shows what is
// awaited fails the test instead of hanging it.
func do(t *testing.T, tab context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	read(t, tab, what, chromedp.Steps(steps...))
}

// read runs one action within a bound and returns its value.
func read[T any](t *testing.T, tab context.Context, what string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	value, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return value
}

// screenshot saves the whole page under $SCOREFLOW_SCREENSHOTS, or the
// system's temporary directory, and names the file in the test's log.
func screenshot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCOREFLOW_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "scoreflow-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png := read(t, tab, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(dir, t.Name()+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
