// Package browser runs a headless Chromium for the tests that check what a
// person sees: chromedp drives it through sign-in and the pages.
package browser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Start starts a headless Chromium for the test, trusting the one
// self-signed certificate whose public key has this SPKI hash (the Entra
// ID simulator's) and no other, and returns its tab. Without Chromium on
// PATH the test is skipped, except in CI, where it fails.
func Start(t testing.TB, trustedSPKI string) context.Context {
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
		chromedp.Flag("ignore-certificate-errors-spki-list", trustedSPKI),
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

// Do runs the steps within a bound, so a page that never shows what is
// awaited fails the test instead of hanging it.
func Do(t testing.TB, tab context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	Read(t, tab, what, chromedp.Steps(steps...))
}

// Read runs one action within a bound and returns its value.
func Read[T any](t testing.TB, tab context.Context, what string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	value, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return value
}

// Screenshot saves the whole page under $SCOREFLOW_SCREENSHOTS, or the
// system's temporary directory, and names the file in the test's log.
func Screenshot(t testing.TB, tab context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCOREFLOW_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "scoreflow-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png := Read(t, tab, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "-")+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
