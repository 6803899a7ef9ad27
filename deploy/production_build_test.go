package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// productionTags are the build tags the Dockerfile builds the binaries with.
const productionTags = "nodemo"

// testDoubles are the packages that stand in for someone else's service, or
// run the demo on them: none belongs in a production binary.
var testDoubles = regexp.MustCompile(`/sim$|/simfault$|/simstate$|/internal/demo$|/internal/testutil/`)

func TestTheProductionBuildLinksNoDemoAndNoSimulator(t *testing.T) {
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	builds := regexp.MustCompile(`go build [^\n]*-tags ` + productionTags + ` [^\n]*\./(worker|starter)`)
	if n := len(builds.FindAllString(string(dockerfile), -1)); n != 2 {
		t.Errorf("the Dockerfile builds %d of the worker and the starter with -tags %s, want both", n, productionTags)
	}
	deps := goList(t, "-deps", "-tags", productionTags, "./worker", "./starter")
	for _, pkg := range deps {
		if testDoubles.MatchString(pkg) {
			t.Errorf("the production build links %s", pkg)
		}
	}
	// The check itself sees the doubles where they are linked: the demo's build.
	if demoDeps := goList(t, "-deps", "./worker"); !slicesContainMatch(demoDeps, testDoubles) {
		t.Error("the demo's build links no simulator: the pattern no longer finds them")
	}
	if testing.Short() {
		return
	}
	// Both binaries build with the tag, not only list their packages.
	build := exec.Command("go", "build", "-tags", productionTags, "-o", t.TempDir()+string(filepath.Separator), "./worker", "./starter")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags %s: %v\n%s", productionTags, err, out)
	}
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

func slicesContainMatch(items []string, pattern *regexp.Regexp) bool {
	for _, item := range items {
		if pattern.MatchString(item) {
			return true
		}
	}
	return false
}
