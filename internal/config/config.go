// Package config is scoreflow's YAML configuration: its shape, its defaults, how
// ${VAR} references are read from the environment and how a bad file is refused
// before anything starts.
package config

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// Config is the whole scoreflow.yaml (docs/configuration.md).
type Config struct {
	Temporal  Temporal  `yaml:"temporal"`
	Gateway   Gateway   `yaml:"gateway"`
	Sweep     Sweep     `yaml:"sweep"`
	Lifecycle Lifecycle `yaml:"lifecycle"`
	Graph     Graph     `yaml:"graph"`
	Jira      Jira      `yaml:"jira"`
	Slack     Slack     `yaml:"slack"`
	Store     Store     `yaml:"store"`
	Dashboard Dashboard `yaml:"dashboard"`
	Notify    Notify    `yaml:"notify"`
	Alerts    Alerts    `yaml:"alerts"`
	Tenants   []Tenant  `yaml:"tenants"`
	// MSPLanguage is what the MSP's people read scoreflow in: Jira
	// tickets, the starter's output, logs and the Temporal Web UI.
	MSPLanguage texts.Language `yaml:"msp_language"`
}

// Store is scoreflow's own history (docs/operations.md, "The store").
type Store struct {
	// DSN empty is the SQLite file scoreflow.db beside Temporal's database;
	// a postgres:// URL is PostgreSQL; anything else a SQLite file's path.
	DSN DSN `yaml:"dsn"`
	// Retention is how long the store keeps a day, a change and a step.
	Retention Duration `yaml:"retention"`
	// Disabled keeps no history: no database, no backfill, no audit rows;
	// starter history and changes are unavailable and audit reads Temporal.
	Disabled bool `yaml:"disabled"`
}

// DefaultStoreRetention keeps three years: a customer's trend over its
// contract, and the audit of every decision in it.
const DefaultStoreRetention = 3 * 365 * 24 * time.Hour

// StoreFile is the SQLite file of an empty store.dsn: scoreflow.db beside
// the embedded Temporal server's database.
func (c *Config) StoreFile() string {
	return filepath.Join(filepath.Dir(c.Temporal.Embedded.DBFile), "scoreflow.db")
}

// Temporal says where the Temporal cluster is, or how to embed one.
type Temporal struct {
	// Address empty means: start the embedded dev server in this process.
	Address   string   `yaml:"address"`
	Namespace string   `yaml:"namespace"`
	TaskQueue string   `yaml:"task_queue"`
	APIKey    Secret   `yaml:"api_key"` // Temporal Cloud API key; implies TLS
	TLS       TLS      `yaml:"tls"`
	Embedded  Embedded `yaml:"embedded"`
	Worker    Worker   `yaml:"worker"`
	// Encryption encrypts what workflows carry before it reaches Temporal.
	Encryption Encryption `yaml:"encryption"`
	// UI is the Web UI's sign-in and where browsers reach it.
	UI UI `yaml:"ui"`
}

// Encryption is the payload codec's keys (docs/security.md): AES-256 keys,
// "<id>:<base64>", oldest first; the last encrypts, all decrypt.
type Encryption struct {
	Keys     Secret `yaml:"keys"`      // from the environment, e.g. ${SCOREFLOW_PAYLOAD_KEYS}
	KeysFile string `yaml:"keys_file"` // or a file of them, one per line
	// Disabled leaves payloads in plain text on a cluster, which otherwise
	// needs keys.
	Disabled bool `yaml:"disabled"`
}

// On reports whether payloads are encrypted.
func (e Encryption) On() bool { return !e.Disabled && (e.Keys.IsSet() || e.KeysFile != "") }

// UI is the Temporal Web UI the embedded server serves: who may sign in
// (the MSP's staff, as dashboard.msp_tenant_id, msp_group and msp_role
// say, through the UI's own app registration in the MSP's directory), and
// where browsers reach it and scoreflow's codec endpoint.
type UI struct {
	// IP is where the embedded Web UI listens: temporal.embedded.ip unless
	// set. Anywhere but a loopback address it needs ClientID.
	IP           string `yaml:"ip"`
	PublicURL    string `yaml:"public_url"` // unset: http://<ip>:<ui_port>
	ClientID     string `yaml:"client_id"`
	ClientSecret Secret `yaml:"client_secret"`
	// CodecURL is where browsers reach scoreflow's codec endpoint, the
	// gateway's /codec/<namespace>; unset: http://<gateway.listen>/codec/<namespace>.
	CodecURL string `yaml:"codec_url"`
}

// SignInConfigured reports whether the Web UI asks for sign-in.
func (u UI) SignInConfigured() bool { return u.ClientID != "" }

// Worker sizes the Temporal worker. A waiting recommendation costs memory
// only while its history is cached; see BENCHMARKS.md for the figures.
type Worker struct {
	// StickyCacheSize is how many workflows' histories stay cached between
	// tasks; a workflow not cached replays its history on its next task.
	StickyCacheSize int `yaml:"sticky_cache_size"`
	// StopTimeout is how long a stopping worker lets its running activities
	// finish before it cancels them; the orchestrator's grace period should
	// be longer (Kubernetes' terminationGracePeriodSeconds).
	StopTimeout Duration `yaml:"stop_timeout"`
}

// DefaultStopTimeout fits, with the web servers' own wait, within
// Kubernetes' default grace period of 30 seconds.
const DefaultStopTimeout = 15 * time.Second

// TLS is mutual TLS to a Temporal cluster (Temporal Cloud or self-hosted).
type TLS struct {
	Enabled    bool   `yaml:"enabled"`
	CertFile   string `yaml:"cert_file"`
	KeyFile    string `yaml:"key_file"`
	CAFile     string `yaml:"ca_file"`
	ServerName string `yaml:"server_name"`
}

// Embedded configures the in-process dev server used when Temporal.Address is empty.
type Embedded struct {
	DBFile string `yaml:"db_file"`
	IP     string `yaml:"ip"`
	Port   int    `yaml:"port"`
	UIPort int    `yaml:"ui_port"` // 0 disables the Web UI
	// HistoryCacheSize is how many entries the server's workflow cache holds.
	// An open workflow takes two: its state, and the lock its workflow ID
	// takes whenever it is started or signalled by ID.
	HistoryCacheSize int `yaml:"history_cache_size"`
	// Retention is how long the namespace keeps a closed workflow: its
	// history for the Web UI and the audit, and the completed run by which
	// the sweep tells a regression from a first detection.
	Retention Duration `yaml:"retention"`
}

// DefaultRetention keeps a closed recommendation for a year and a month: a
// yearly audit finds every transition of the year, and a control that loses
// its points within that time is reopened as a regression. Temporal's own
// default, one day, would forget both by the next sweep.
const DefaultRetention = 400 * 24 * time.Hour

// DefaultHistoryCacheSize holds two entries for each of 16,384 open
// workflows: an onboarding of 100 tenants × 80 recommendations then keeps
// every one cached, where a smaller cache evicts them and reloads them from
// SQLite for their first task (BENCHMARKS.md); an entry holding no state
// costs next to nothing.
const DefaultHistoryCacheSize = 32768

// Gateway is the HTTP server for webhooks, health and metrics.
type Gateway struct {
	Listen string `yaml:"listen"`
	// Pprof serves Go's profiler under /debug/pprof/; for measuring, never on a public listener.
	Pprof bool `yaml:"pprof"`
}

// Sweep is when each tenant's daily detection sweep runs.
type Sweep struct {
	Cron     string `yaml:"cron"`
	Timezone string `yaml:"timezone"`
	// Jitter spreads the tenants' sweeps so a thousand tenants do not call Graph in the same second.
	Jitter Duration `yaml:"jitter"`
}

// Lifecycle holds the lifecycle's waiting periods (docs/lifecycle.md).
type Lifecycle struct {
	ReminderInterval      Duration `yaml:"reminder_interval"`
	EscalationAfter       Duration `yaml:"escalation_after"`
	DetectionWarningAfter Duration `yaml:"detection_warning_after"`
	RiskReviewAfter       Duration `yaml:"risk_review_after"`
}

// Graph is Microsoft Graph; national clouds use other hosts.
type Graph struct {
	BaseURL       string `yaml:"base_url"`
	AuthorityHost string `yaml:"authority_host"`
	// CAFile is a PEM bundle to trust instead of the system's roots: a private
	// authority or a TLS-inspecting proxy (and the simulator in tests).
	CAFile string `yaml:"ca_file"`
	// The MSP's multi-tenant app, which each customer's admin consents to:
	// it serves every tenant that does not name an app of its own.
	App `yaml:",inline"`
	// WriteCheckAfter is when the first sweep checks that a state scoreflow
	// wrote is still Graph's latest.
	WriteCheckAfter Duration `yaml:"write_check_after"`
}

// App is an Entra ID app registration: its application id, and a client
// secret or a certificate (recommended) to prove it.
type App struct {
	ClientID     string `yaml:"client_id"`
	ClientSecret Secret `yaml:"client_secret"`
	// CertificateFile is a PEM with the app's certificate and private key.
	CertificateFile string `yaml:"certificate_file"`
}

// IsSet reports whether the app is named.
func (a App) IsSet() bool {
	return a.ClientID != "" || a.ClientSecret.IsSet() || a.CertificateFile != ""
}

// GraphApp is the app that reads and writes a tenant's Secure Score: the
// tenant's own, or the MSP's multi-tenant app.
func (c *Config) GraphApp(t Tenant) App {
	if t.App.IsSet() {
		return t.App
	}
	return c.Graph.App
}

// Jira is the specialists' ticket system.
type Jira struct {
	BaseURL string `yaml:"base_url"`
	// Email with APIToken is Jira Cloud basic auth; PersonalAccessToken alone is Jira Data Center.
	Email               string `yaml:"email"`
	APIToken            Secret `yaml:"api_token"`
	PersonalAccessToken Secret `yaml:"personal_access_token"`
	WebhookSecret       Secret `yaml:"webhook_secret"`
	IssueType           string `yaml:"issue_type"`
	RFCIssueType        string `yaml:"rfc_issue_type"`
	// Statuses names the Jira status that means each verdict, keyed by the
	// verdict's name (needs_change, rfc_implemented, ...), and under "done"
	// the status scoreflow closes tickets with. Unnamed ones keep their defaults.
	Statuses map[string]string `yaml:"statuses"`
	// PollInterval is how often tickets are polled when webhooks cannot reach the gateway; 0 disables polling.
	PollInterval Duration `yaml:"poll_interval"`
}

// DoneKey is the key of jira.statuses that names the done status.
const DoneKey = "done"

// VerdictStatuses is the configured status name of each verdict.
func (j Jira) VerdictStatuses() map[lifecycle.Verdict]string {
	out := map[lifecycle.Verdict]string{}
	for _, v := range lifecycle.Verdicts() {
		out[v] = j.Statuses[string(v)]
	}
	return out
}

// DoneStatus is the status scoreflow closes tickets with.
func (j Jira) DoneStatus() string { return j.Statuses[DoneKey] }

// Slack is where customers decide.
type Slack struct {
	APIURL        string `yaml:"api_url"`
	BotToken      Secret `yaml:"bot_token"`
	SigningSecret Secret `yaml:"signing_secret"`
}

// Tenant is one customer's Microsoft 365 tenant.
type Tenant struct {
	ID            string `yaml:"id"`
	Name          string `yaml:"name"`
	AzureTenantID string `yaml:"azure_tenant_id"`
	// App is the tenant's own app registration; empty, the MSP's (graph.client_id) serves it.
	App          `yaml:",inline"`
	Products     []string `yaml:"products"`
	JiraProject  string   `yaml:"jira_project"`
	SlackChannel string   `yaml:"slack_channel"`
	// Approvers may decide for the customer: Slack user ids, and people of
	// the tenant's directory as entra:<object id> (approvers.go).
	Approvers     []string `yaml:"approvers"`
	TechnicalLead string   `yaml:"technical_lead"`
	// Notify lists the channels the customer is told through: slack,
	// email; unset, every channel configured for it (Config.Channels).
	Notify []string `yaml:"notify"`
	// MailTo are the addresses told by e-mail: critical decisions, the
	// regular meeting's digest and its report.
	MailTo []string `yaml:"mail_to"`
	// TechnicalLeadMail is told by e-mail of an escalation.
	TechnicalLeadMail string `yaml:"technical_lead_mail"`
	Digest            Digest `yaml:"digest"`
	// Viewers, if set, are the object ids of the tenant's people who may
	// open its dashboard; unset, everyone of its directory may.
	Viewers []string `yaml:"viewers"`
	// AllowGuests lets guest accounts of the tenant's directory open its
	// dashboard too; by default only its members may.
	AllowGuests bool `yaml:"allow_guests"`
	// Language is what the tenant's people read scoreflow in: Slack and
	// the dashboard's customer pages (en, nl).
	Language texts.Language `yaml:"language"`
}

// Digest is when a tenant's regular meeting takes place, for the digest of open decisions.
type Digest struct {
	Day  string `yaml:"day"`  // monday … sunday
	Time string `yaml:"time"` // HH:MM in Sweep.Timezone
}

// Tenant returns the configured tenant with that id.
func (c *Config) Tenant(id string) (Tenant, bool) {
	for _, t := range c.Tenants {
		if t.ID == id {
			return t, true
		}
	}
	return Tenant{}, false
}

// applyDefaults fills what the file left out with the documented defaults.
func (c *Config) applyDefaults() {
	if c.Alerts.ScoreDrop == 0 {
		c.Alerts.ScoreDrop = DefaultScoreDrop
	}
	setDefault(&c.Temporal.Namespace, "default")
	setDefault(&c.Temporal.TaskQueue, "scoreflow")
	setDefault(&c.Temporal.Embedded.DBFile, "data/temporal.db")
	setDefault(&c.Temporal.Embedded.IP, "127.0.0.1")
	setDefault(&c.Temporal.UI.IP, c.Temporal.Embedded.IP)
	if c.Temporal.Embedded.Port == 0 {
		c.Temporal.Embedded.Port = 7233
	}
	if c.Temporal.Embedded.HistoryCacheSize == 0 {
		c.Temporal.Embedded.HistoryCacheSize = DefaultHistoryCacheSize
	}
	setDefaultDuration(&c.Temporal.Embedded.Retention, DefaultRetention)
	if c.Temporal.Worker.StickyCacheSize == 0 {
		c.Temporal.Worker.StickyCacheSize = 10000 // the SDK's own default
	}
	setDefaultDuration(&c.Temporal.Worker.StopTimeout, DefaultStopTimeout)
	setDefault(&c.Gateway.Listen, "127.0.0.1:8080")
	setDefault(&c.Sweep.Cron, "0 10 * * *")
	setDefault(&c.Sweep.Timezone, "Europe/Brussels")
	setDefaultDuration(&c.Sweep.Jitter, 30*time.Minute)
	setDefaultDuration(&c.Lifecycle.ReminderInterval, lifecycle.DefaultTimings.ReminderInterval)
	setDefaultDuration(&c.Lifecycle.EscalationAfter, lifecycle.DefaultTimings.EscalationAfter)
	setDefaultDuration(&c.Lifecycle.DetectionWarningAfter, lifecycle.DefaultTimings.DetectionWarningAfter)
	setDefaultDuration(&c.Lifecycle.RiskReviewAfter, lifecycle.DefaultTimings.RiskReviewAfter)
	setDefault(&c.Graph.BaseURL, "https://graph.microsoft.com/v1.0")
	setDefault(&c.Graph.AuthorityHost, "https://login.microsoftonline.com/")
	setDefaultDuration(&c.Graph.WriteCheckAfter, lifecycle.DefaultTimings.WriteCheckAfter)
	setDefault(&c.Jira.IssueType, "Task")
	setDefault(&c.Jira.RFCIssueType, "Change")
	if c.Jira.Statuses == nil {
		c.Jira.Statuses = map[string]string{}
	}
	for verdict, status := range lifecycle.DefaultStatuses() {
		if _, named := c.Jira.Statuses[string(verdict)]; !named {
			c.Jira.Statuses[string(verdict)] = status
		}
	}
	if _, named := c.Jira.Statuses[DoneKey]; !named {
		c.Jira.Statuses[DoneKey] = lifecycle.DoneStatus
	}
	setDefault(&c.Slack.APIURL, "https://slack.com/api/")
	setDefaultDuration(&c.Store.Retention, DefaultStoreRetention)
	c.Dashboard.applyDefaults()
	if c.MSPLanguage == "" {
		c.MSPLanguage = texts.English
	}
	for i := range c.Tenants {
		setDefault(&c.Tenants[i].Digest.Day, "monday")
		if c.Tenants[i].Language == "" {
			c.Tenants[i].Language = texts.English
		}
		setDefault(&c.Tenants[i].Digest.Time, "09:00")
		if c.Tenants[i].Name == "" {
			c.Tenants[i].Name = c.Tenants[i].ID
		}
	}
}

func setDefault(field *string, value string) {
	if *field == "" {
		*field = value
	}
}

func setDefaultDuration(field *Duration, value time.Duration) {
	if *field == 0 {
		*field = Duration(value)
	}
}

// UIPublicURL is where browsers reach the embedded Web UI.
func (c *Config) UIPublicURL() string {
	if c.Temporal.UI.PublicURL != "" {
		return strings.TrimSuffix(c.Temporal.UI.PublicURL, "/")
	}
	return "http://" + net.JoinHostPort(c.Temporal.UI.IP, strconv.Itoa(c.Temporal.Embedded.UIPort))
}

// CodecURL is where browsers reach scoreflow's codec endpoint for the namespace.
func (c *Config) CodecURL() string {
	if c.Temporal.UI.CodecURL != "" {
		return strings.TrimSuffix(c.Temporal.UI.CodecURL, "/")
	}
	return "http://" + c.Gateway.Listen + "/codec/" + c.Temporal.Namespace
}
