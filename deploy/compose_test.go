package deploy_test

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"gopkg.in/yaml.v3"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// No Docker engine runs in CI, so this test reads docker-compose.yaml the way
// compose would and checks that the topology holds together.

type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
	Networks map[string]struct {
		Internal bool `yaml:"internal"`
	} `yaml:"networks"`
}

type composeService struct {
	Image       string                                `yaml:"image"`
	Build       *struct{ Context, Dockerfile string } `yaml:"build"`
	DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
	Environment map[string]string                     `yaml:"environment"`
	Volumes     []string                              `yaml:"volumes"`
	Ports       []string                              `yaml:"ports"`
	Healthcheck *healthcheck                          `yaml:"healthcheck"`
	Entrypoint  []string                              `yaml:"entrypoint"`
	Restart     string                                `yaml:"restart"`
	Command     any                                   `yaml:"command"`
	Networks    []string                              `yaml:"networks"`
	StopGrace   string                                `yaml:"stop_grace_period"`
}

type healthcheck struct {
	Test        []string `yaml:"test"`
	Interval    string   `yaml:"interval"`
	Timeout     string   `yaml:"timeout"`
	StartPeriod string   `yaml:"start_period"`
	Retries     int      `yaml:"retries"`
}

var allowedImages = map[string]bool{
	"postgres": true, "temporalio/server": true, "temporalio/admin-tools": true, "temporalio/ui": true,
}

func loadCompose(t *testing.T) (composeFile, string) {
	t.Helper()
	raw, err := os.ReadFile("docker-compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	decoder := yaml.NewDecoder(strings.NewReader(string(raw)))
	decoder.KnownFields(true)
	if err := decoder.Decode(&c); err != nil {
		t.Fatalf("docker-compose.yaml: %v", err)
	}
	return c, string(raw)
}

func TestComposeServicesAndImages(t *testing.T) {
	c, _ := loadCompose(t)
	want := []string{"postgresql", "scoreflow-database", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "scoreflow-worker"}
	for _, name := range want {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("service %s is missing", name)
		}
	}
	if len(c.Services) != len(want) {
		t.Errorf("services = %d, want %d", len(c.Services), len(want))
	}
	temporalTags := map[string]bool{}
	for name, s := range c.Services {
		if s.Build != nil {
			if _, err := os.Stat(filepath.Join(s.Build.Context, s.Build.Dockerfile)); err != nil {
				t.Errorf("%s builds from a missing Dockerfile: %v", name, err)
			}
			continue
		}
		repo, tag, ok := strings.Cut(s.Image, ":")
		if !ok || tag == "" || tag == "latest" {
			t.Errorf("%s: image %q is not pinned to a version", name, s.Image)
		}
		if !allowedImages[repo] {
			t.Errorf("%s: image %q is not one of the official images %v", name, s.Image, allowedImages)
		}
		if repo == "temporalio/server" || repo == "temporalio/admin-tools" {
			temporalTags[tag] = true
		}
	}
	if len(temporalTags) != 1 {
		t.Errorf("temporalio/server and admin-tools must share one version (schema tool and server), got %v", temporalTags)
	}
}

func TestComposeDependenciesAreSatisfiable(t *testing.T) {
	c, _ := loadCompose(t)
	for name, s := range c.Services {
		for dep, d := range s.DependsOn {
			target, ok := c.Services[dep]
			if !ok {
				t.Errorf("%s depends on unknown service %s", name, dep)
				continue
			}
			switch d.Condition {
			case "service_healthy":
				if target.Healthcheck == nil {
					t.Errorf("%s waits for %s to be healthy, but %s has no healthcheck", name, dep, dep)
				}
			case "service_completed_successfully":
				if target.Command == nil || target.Restart == "always" || target.Restart == "unless-stopped" {
					t.Errorf("%s waits for %s to complete, but %s is not a one-shot job", name, dep, dep)
				}
			case "service_started", "":
			default:
				t.Errorf("%s: unknown depends_on condition %q", name, d.Condition)
			}
		}
	}
	// The worker must start after the namespace and its search attributes exist.
	if _, ok := c.Services["scoreflow-worker"].DependsOn["temporal-namespace"]; !ok {
		t.Error("scoreflow-worker must wait for temporal-namespace")
	}
}

// The worker's health is its readiness (Temporal and the store answer), and
// Docker waits long enough on a stop for its running activities to finish
// and its web servers to answer the requests in flight.
func TestComposeWorkerIsCheckedForReadinessAndStopsGracefully(t *testing.T) {
	c, _ := loadCompose(t)
	worker := c.Services["scoreflow-worker"]
	if worker.Healthcheck == nil || !strings.Contains(strings.Join(worker.Healthcheck.Test, " "), "/readyz") {
		t.Errorf("scoreflow-worker's healthcheck %+v does not ask /readyz", worker.Healthcheck)
	}
	grace, err := time.ParseDuration(worker.StopGrace)
	if err != nil || grace < config.DefaultStopTimeout+10*time.Second {
		t.Errorf("scoreflow-worker's stop_grace_period %q: want at least temporal.worker.stop_timeout (%s) and 10 s for the web servers",
			worker.StopGrace, config.DefaultStopTimeout)
	}
}

func TestComposePortsMountsAndVariables(t *testing.T) {
	c, raw := loadCompose(t)
	hostPorts := map[string]string{}
	for name, s := range c.Services {
		for _, p := range s.Ports {
			host, _, ok := strings.Cut(p, ":")
			if !ok {
				t.Errorf("%s: port %q must map host:container", name, p)
			}
			if other, dup := hostPorts[host]; dup {
				t.Errorf("host port %s is published by %s and %s", host, other, name)
			}
			hostPorts[host] = name
		}
		for _, v := range s.Volumes {
			source := strings.Split(v, ":")[0]
			if strings.HasPrefix(source, "./") {
				if _, err := os.Stat(source); err != nil {
					t.Errorf("%s mounts missing %s", name, source)
				}
			} else if _, ok := c.Volumes[source]; !ok {
				t.Errorf("%s uses undeclared volume %s", name, source)
			}
		}
		for key, value := range s.Environment {
			if host, port, err := net.SplitHostPort(value); err == nil && port == "7233" {
				if _, ok := c.Services[host]; !ok {
					t.Errorf("%s.%s points at unknown service %s", name, key, host)
				}
			}
		}
	}
	dyn := c.Services["temporal"].Environment["DYNAMIC_CONFIG_FILE_PATH"]
	if _, err := os.Stat(filepath.Join("deploy/dynamicconfig", filepath.Base(dyn))); err != nil {
		t.Errorf("the server's dynamic config %s is not in deploy/dynamicconfig", dyn)
	}
	example, err := os.ReadFile(".env.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\$\{([A-Z_][A-Z0-9_]*)`).FindAllStringSubmatch(raw, -1) {
		if !strings.Contains(string(example), "\n"+m[1]+"=") && !strings.HasPrefix(string(example), m[1]+"=") {
			t.Errorf("docker-compose.yaml uses ${%s}, which .env.example does not document", m[1])
		}
	}
}

func TestComposeWorkerConfigLoadsAndMatchesTheTopology(t *testing.T) {
	c, _ := loadCompose(t)
	worker := c.Services["scoreflow-worker"]
	raw, err := os.ReadFile("deploy/scoreflow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The worker sees exactly the variables compose passes it.
	cfg, err := config.Parse(raw, func(name string) (string, bool) {
		if _, ok := worker.Environment[name]; !ok {
			return "", false
		}
		if strings.HasSuffix(name, "_URL") {
			return "https://example.atlassian.net", true
		}
		if strings.HasSuffix(name, "_TENANT_ID") {
			return "72f988bf-86f1-41af-91ab-2d7cd011db47", true
		}
		return "value-of-" + name, true
	})
	if err != nil {
		t.Fatalf("deploy/scoreflow.yaml with the worker's environment: %v", err)
	}
	if !cfg.Temporal.Encryption.On() || !cfg.Dashboard.SignInConfigured() || !cfg.Temporal.UI.SignInConfigured() {
		t.Error("the production config must encrypt payloads and sign the dashboard's and the Web UI's people in")
	}
	host, port, _ := net.SplitHostPort(cfg.Temporal.Address)
	if _, ok := c.Services[host]; !ok || port != "7233" {
		t.Errorf("temporal.address %s is not the temporal service", cfg.Temporal.Address)
	}
	_, listenPort, _ := net.SplitHostPort(cfg.Gateway.Listen)
	published := false
	for _, p := range worker.Ports {
		published = published || strings.HasSuffix(p, ":"+listenPort)
	}
	if !published {
		t.Errorf("the gateway listens on %s but the worker publishes %v", cfg.Gateway.Listen, worker.Ports)
	}
	// The store is the database the scoreflow-database job creates on the
	// compose PostgreSQL, and the worker starts after it.
	store, err := url.Parse(cfg.Store.DSN.Reveal())
	if err != nil || store.Scheme != "postgres" || store.Hostname() != "postgresql" || store.Path != "/scoreflow" ||
		store.User.Username() != "scoreflow" {
		t.Errorf("store.dsn %s is not the scoreflow database on the postgresql service", cfg.Store.DSN)
	}
	if password, _ := store.User.Password(); password != "value-of-SCOREFLOW_DB_PASSWORD" {
		t.Errorf("the store's password does not come from SCOREFLOW_DB_PASSWORD")
	}
	job := c.Services["scoreflow-database"]
	script := fmt.Sprint(job.Command)
	for _, statement := range []string{"CREATE ROLE scoreflow LOGIN", "ALTER ROLE scoreflow PASSWORD :'password'", "CREATE DATABASE scoreflow OWNER scoreflow"} {
		if !strings.Contains(script, statement) {
			t.Errorf("the scoreflow-database job does not %s", statement)
		}
	}
	if job.Environment["SCOREFLOW_DB_PASSWORD"] == "" || worker.DependsOn["scoreflow-database"].Condition != "service_completed_successfully" {
		t.Error("the worker must wait for the scoreflow-database job, which sets the role's password from SCOREFLOW_DB_PASSWORD")
	}
	dockerfile, _ := os.ReadFile("Dockerfile")
	goMod, _ := os.ReadFile("go.mod")
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(string(goMod))
	if goVersion == nil || !strings.Contains(string(dockerfile), "golang:"+goVersion[1]) {
		t.Errorf("the Dockerfile's Go image does not match go.mod's go %v", goVersion)
	}
}

// The front door closed: only the gateway, the dashboard and the signed-in
// Web UI are published; the Temporal frontend and PostgreSQL, which have no
// sign-in of their own, sit on an internal network only; the Web UI signs
// in through the MSP's directory and decodes through scoreflow's codec.
func TestComposePublishesOnlySignedInDoors(t *testing.T) {
	c, _ := loadCompose(t)
	published := map[string]bool{"scoreflow-worker": true, "temporal-ui": true}
	for name, s := range c.Services {
		if len(s.Ports) > 0 && !published[name] {
			t.Errorf("%s publishes %v: only the gateway, the dashboard and the Web UI may be reached from outside", name, s.Ports)
		}
		if len(s.Networks) == 0 {
			t.Errorf("%s names no network, so it lands on the default one beside the published services", name)
		}
		for _, n := range s.Networks {
			if _, ok := c.Networks[n]; !ok {
				t.Errorf("%s joins the undeclared network %s", name, n)
			}
		}
	}
	if !c.Networks["backend"].Internal {
		t.Error("the backend network is not internal")
	}
	for _, name := range []string{"temporal", "postgresql"} {
		if networks := c.Services[name].Networks; len(networks) != 1 || networks[0] != "backend" {
			t.Errorf("%s is on %v, want the internal backend only", name, networks)
		}
	}
	ui := c.Services["temporal-ui"].Environment
	if ui["TEMPORAL_AUTH_ENABLED"] != "true" || !strings.Contains(ui["TEMPORAL_AUTH_PROVIDER_URL"], "${MSP_TENANT_ID}") ||
		!strings.HasSuffix(ui["TEMPORAL_CODEC_ENDPOINT"], "/codec/default") || ui["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] != "true" {
		t.Errorf("the Web UI is not behind the MSP's sign-in with scoreflow's codec: %v", ui)
	}
}

// The namespace job creates every search attribute scoreflow's workflows
// carry, with its type: a worker that cannot add one (a cluster that
// refuses) would otherwise start recommendations without it.
func TestComposeCreatesEverySearchAttribute(t *testing.T) {
	c, _ := loadCompose(t)
	script := fmt.Sprint(c.Services["temporal-namespace"].Command)
	kinds := map[enumspb.IndexedValueType]string{enumspb.INDEXED_VALUE_TYPE_KEYWORD: "Keyword", enumspb.INDEXED_VALUE_TYPE_BOOL: "Bool"}
	for name, kind := range lifecycle.SearchAttributes() {
		direct := regexp.MustCompile(`--name ` + name + ` --type ` + kinds[kind] + `\b`)
		looped := regexp.MustCompile(`for kw in [^;]*\b` + name + `\b[^;]*; do\s+temporal operator search-attribute create -n default --name \$\$kw --type ` + kinds[kind] + `\b`)
		if !direct.MatchString(script) && !looped.MatchString(script) {
			t.Errorf("temporal-namespace does not create the search attribute %s (%s)", name, kinds[kind])
		}
	}
}
