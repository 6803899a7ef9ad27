package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// tenantID is a short slug: it is part of workflow IDs, schedule IDs and Jira labels.
var tenantID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// directoryID is a Microsoft Entra tenant id: a GUID.
var directoryID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// CronParser reads sweep.cron: standard five fields, as Temporal schedules take them.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Validate reports every problem of the config at once, each naming its key.
func (c *Config) Validate() error {
	var v validation
	c.validateTemporal(&v)
	if _, _, err := net.SplitHostPort(c.Gateway.Listen); err != nil {
		v.add("gateway.listen", "want host:port, got %q", c.Gateway.Listen)
	}
	if _, err := CronParser.Parse(c.Sweep.Cron); err != nil {
		v.add("sweep.cron", "%v", err)
	}
	if _, err := time.LoadLocation(c.Sweep.Timezone); err != nil {
		v.add("sweep.timezone", "unknown time zone %q", c.Sweep.Timezone)
	}
	v.https("graph.base_url", c.Graph.BaseURL)
	v.https("graph.authority_host", c.Graph.AuthorityHost)
	if c.Graph.App.IsSet() {
		c.Graph.App.validate("graph", &v)
	}
	v.httpURL("jira.base_url", c.Jira.BaseURL)
	c.Jira.validateStatuses(&v)
	c.Store.validate(&v)
	c.Dashboard.validate(c.Store.Disabled, &v)
	c.validateNotify(&v)
	c.Alerts.validate(&v)
	v.httpURL("slack.api_url", c.Slack.APIURL)
	if !c.MSPLanguage.Valid() {
		v.add("msp_language", "want one of %v, got %q", texts.Languages, c.MSPLanguage)
	}
	if len(c.Tenants) == 0 {
		v.add("tenants", "at least one tenant is required")
	}
	seen, directories := map[string]bool{}, map[string]string{}
	for i, t := range c.Tenants {
		path := fmt.Sprintf("tenants[%d]", i)
		if seen[t.ID] && t.ID != "" {
			v.add(path+".id", "duplicate tenant id %q", t.ID)
		}
		seen[t.ID] = true
		// One directory is one customer: a second entry would let its
		// people see another tenant's pages as their own.
		if other, taken := directories[strings.ToLower(t.AzureTenantID)]; taken && t.AzureTenantID != "" {
			v.add(path+".azure_tenant_id", "%s is the directory of tenant %q already", t.AzureTenantID, other)
		}
		directories[strings.ToLower(t.AzureTenantID)] = t.ID
		t.validate(path, &v)
		c.validateChannels(path, t, &v)
		switch {
		case t.App.IsSet():
			t.App.validate(path, &v)
		case !c.Graph.App.IsSet():
			v.add(path+".client_id", "name the tenant's app (client_id with client_secret or certificate_file), or the MSP's app for every tenant under graph")
		}
	}
	return v.err()
}

func (c *Config) validateTemporal(v *validation) {
	t := c.Temporal
	if t.Address != "" {
		if _, _, err := net.SplitHostPort(t.Address); err != nil {
			v.add("temporal.address", "want host:port, got %q", t.Address)
		}
	}
	if t.Embedded.HistoryCacheSize < 0 {
		v.add("temporal.embedded.history_cache_size", "want a number of workflows (0 for the default), got %d", t.Embedded.HistoryCacheSize)
	}
	// The worker runs at most half as many workflow tasks at once as it caches, and at least two.
	if t.Worker.StickyCacheSize < 0 || (t.Worker.StickyCacheSize > 0 && t.Worker.StickyCacheSize < 4) {
		v.add("temporal.worker.sticky_cache_size", "want a number of workflows of at least 4 (0 for the default), got %d", t.Worker.StickyCacheSize)
	}
	if stop := t.Worker.StopTimeout.D(); stop < 0 || stop > 10*time.Minute {
		v.add("temporal.worker.stop_timeout", "want a duration up to 10m, got %s", stop)
	}
	if (t.TLS.CertFile == "") != (t.TLS.KeyFile == "") {
		v.add("temporal.tls", "cert_file and key_file go together")
	}
	if t.Address == "" {
		if t.Embedded.Port <= 0 || t.Embedded.Port > 65535 {
			v.add("temporal.embedded.port", "want a port number, got %d", t.Embedded.Port)
		}
		if t.Embedded.UIPort < 0 || t.Embedded.UIPort > 65535 || t.Embedded.UIPort == t.Embedded.Port {
			v.add("temporal.embedded.ui_port", "want a free port number other than temporal.embedded.port, got %d", t.Embedded.UIPort)
		}
		// Shorter, a completed run could be gone before the next daily sweep looks for it.
		if t.Embedded.Retention.D() < 24*time.Hour {
			v.add("temporal.embedded.retention", "want at least 1d, got %s", t.Embedded.Retention.D())
		}
		if !sqlitePath(t.Embedded.DBFile) {
			v.add("temporal.embedded.db_file", sqlitePathRule)
		}
		c.validateEmbeddedExposure(v)
	}
	c.validateEncryption(v)
}

// validateEmbeddedExposure keeps the embedded server's doors on this
// machine: its frontend answers anyone who reaches it without sign-in or
// TLS, so it stays on loopback; its Web UI may listen elsewhere only
// behind the MSP's sign-in.
func (c *Config) validateEmbeddedExposure(v *validation) {
	t := c.Temporal
	if !loopback(t.Embedded.IP) {
		v.add("temporal.embedded.ip", "the embedded frontend has no sign-in or TLS: anyone reaching %s could read and change every "+
			"workflow. Keep it on 127.0.0.1, or run a Temporal cluster with mutual TLS (temporal.address, temporal.tls; docs/operations.md)", t.Embedded.IP)
	}
	if t.Embedded.UIPort != 0 && !loopback(t.UI.IP) && !t.UI.SignInConfigured() {
		v.add("temporal.ui.client_id", "the Web UI on %s would show every customer's history to anyone who reaches it: "+
			"set temporal.ui.client_id and client_secret (the MSP's sign-in), or temporal.ui.ip: 127.0.0.1", t.UI.IP)
	}
	if !t.UI.SignInConfigured() {
		return
	}
	if !t.UI.ClientSecret.IsSet() {
		v.add("temporal.ui.client_secret", "is required with temporal.ui.client_id: the UI app's secret, from the environment")
	}
	if c.Dashboard.MSPTenantID == "" || (c.Dashboard.MSPGroup == "" && c.Dashboard.MSPRole == "") {
		v.add("temporal.ui.client_id", "the Web UI signs in the MSP's staff: set dashboard.msp_tenant_id and msp_group or msp_role")
	}
	if t.UI.PublicURL != "" {
		if u, err := url.Parse(t.UI.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.add("temporal.ui.public_url", "want the Web UI's address as browsers reach it, e.g. https://temporal.msp.example")
		}
	}
}

// validateEncryption asks a cluster, which keeps histories out of this
// process (another host, Temporal Cloud), for payload keys.
func (c *Config) validateEncryption(v *validation) {
	e := c.Temporal.Encryption
	if e.Keys.IsSet() && e.KeysFile != "" {
		v.add("temporal.encryption.keys_file", "set keys or keys_file, not both")
	}
	if c.Temporal.Address != "" && !e.On() && !e.Disabled {
		v.add("temporal.encryption.keys", "a cluster keeps every customer's decisions in its database: set keys (e.g. ${SCOREFLOW_PAYLOAD_KEYS}, "+
			"\"<id>:<base64 of 32 random bytes>\", openssl rand -base64 32) or keys_file, or disabled: true to keep them in plain text")
	}
}

// loopback reports whether ip is a loopback address (or localhost).
func loopback(ip string) bool {
	if ip == "localhost" {
		return true
	}
	parsed := net.ParseIP(ip)
	return parsed != nil && parsed.IsLoopback()
}

// SQLite opens its files by URI, where # and ? end the path.
const sqlitePathRule = "a SQLite file's path cannot hold # or ?"

func sqlitePath(path string) bool { return !strings.ContainsAny(path, "#?") }

// validate asks for a PostgreSQL URL that parses, and a retention of at
// least a day.
func (s Store) validate(v *validation) {
	if dsn := s.DSN.Reveal(); strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err != nil || u.Host == "" {
			v.add("store.dsn", "want postgres://user@host:5432/database, with the password from the environment")
		}
	} else if !sqlitePath(dsn) {
		v.add("store.dsn", sqlitePathRule)
	}
	if s.Retention.D() < 24*time.Hour {
		v.add("store.retention", "want at least 1d, got %s", s.Retention.D())
	}
}

// validateStatuses accepts a status name for each verdict and for done, and
// refuses a name that would mean two things.
func (j Jira) validateStatuses(v *validation) {
	meaning := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(j.Statuses)) {
		path, name := "jira.statuses."+key, j.Statuses[key]
		switch {
		case key != DoneKey && !lifecycle.Verdict(key).Valid():
			v.add(path, "unknown key: the keys are the verdicts %v and %s", lifecycle.Verdicts(), DoneKey)
		case strings.TrimSpace(name) == "":
			v.add(path, "names no status")
		case meaning[strings.ToLower(name)] != "":
			v.add(path, "the status %q is jira.statuses.%s already: a status means one thing", name, meaning[strings.ToLower(name)])
		default:
			meaning[strings.ToLower(name)] = key
		}
	}
}

func (t Tenant) validate(path string, v *validation) {
	if !tenantID.MatchString(t.ID) {
		v.add(path+".id", "want a lowercase slug such as \"contoso\" (letters, digits, dashes), got %q", t.ID)
	}
	if !directoryID.MatchString(t.AzureTenantID) {
		v.add(path+".azure_tenant_id", "want the customer's Microsoft Entra tenant id, a GUID such as "+
			"72f988bf-86f1-41af-91ab-2d7cd011db47 (Entra admin center, Overview), got %q", t.AzureTenantID)
	}
	if len(t.Products) == 0 {
		v.add(path+".products", "list at least one product, e.g. [AzureAD, Exchange]")
	}
	v.required(path+".jira_project", t.JiraProject)
	t.validateApprovers(path+".approvers", v)
	if !t.Language.Valid() {
		v.add(path+".language", "want one of %v, got %q", texts.Languages, t.Language)
	}
	if _, ok := weekdays[strings.ToLower(t.Digest.Day)]; !ok {
		v.add(path+".digest.day", "want a weekday such as monday, got %q", t.Digest.Day)
	}
	if _, err := time.Parse("15:04", t.Digest.Time); err != nil {
		v.add(path+".digest.time", "want HH:MM, got %q", t.Digest.Time)
	}
}

// validate asks for an application id and exactly one way to prove it.
func (a App) validate(path string, v *validation) {
	v.required(path+".client_id", a.ClientID)
	switch {
	case !a.ClientSecret.IsSet() && a.CertificateFile == "":
		v.add(path+".client_secret", "set client_secret or certificate_file (recommended) for the app registration")
	case a.ClientSecret.IsSet() && a.CertificateFile != "":
		v.add(path+".certificate_file", "set client_secret or certificate_file, not both")
	}
}

// DigestWeekday returns the tenant's regular-meeting weekday.
func (t Tenant) DigestWeekday() time.Weekday { return weekdays[strings.ToLower(t.Digest.Day)] }

// validation collects problems so an operator fixes a config in one pass.
type validation struct{ problems []error }

func (v *validation) add(key, format string, args ...any) {
	v.problems = append(v.problems, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

func (v *validation) required(key, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(key, "is required")
	}
}

func (v *validation) https(key, value string) {
	u, err := url.Parse(value)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		v.add(key, "want an https:// URL, got %q", value)
	}
}

func (v *validation) httpURL(key, value string) {
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.add(key, "want an http(s):// URL, got %q", value)
	}
}

func (v *validation) err() error { return errors.Join(v.problems...) }
