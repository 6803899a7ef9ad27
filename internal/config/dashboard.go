package config

import (
	"net"
	"net/url"
	"strings"
	"time"
)

// Dashboard is the web dashboard: where it listens and how people sign in
// ("Sign in with Microsoft", OpenID Connect).
type Dashboard struct {
	// Listen is host:port; unset, DefaultDashboardListen; empty, the dashboard is off.
	Listen *string `yaml:"listen"`
	// PublicURL is where browsers reach the dashboard, the base of the
	// sign-in's redirect URL; unset, http://<listen>.
	PublicURL string `yaml:"public_url"`
	// Authority is the OpenID provider's discovery base: Entra's
	// multi-tenant endpoint unless a test or the demo names another.
	Authority string `yaml:"authority"`
	CAFile    string `yaml:"ca_file"` // a PEM bundle trusted for the authority instead of the system's roots
	// ClientID and ClientSecret are the dashboard's app registration, which
	// must allow sign-in from other directories (multi-tenant).
	ClientID     string `yaml:"client_id"`
	ClientSecret Secret `yaml:"client_secret"`
	// MSPTenantID is the MSP's own directory. Its staff see every tenant:
	// its members (not guests) in MSPGroup (a group's object id) or with
	// MSPRole (an app role); with both set, in the group and with the role.
	MSPTenantID string `yaml:"msp_tenant_id"`
	MSPGroup    string `yaml:"msp_group"`
	MSPRole     string `yaml:"msp_role"`
	// StaffRecheck is how long a staff member's sign-in holds before they
	// sign in again, which reads their groups and roles anew: someone
	// removed from MSPGroup loses the MSP's view within this time.
	StaffRecheck Duration `yaml:"staff_recheck"`
	// SessionLifetime is how long a sign-in lasts.
	SessionLifetime Duration `yaml:"session_lifetime"`
}

// DefaultDashboardListen is where the dashboard listens unless the config says otherwise.
const DefaultDashboardListen = "127.0.0.1:8090"

// DefaultAuthority is Entra ID's multi-tenant (organizations) v2.0 endpoint.
const DefaultAuthority = "https://login.microsoftonline.com/organizations/v2.0"

// Address is where the dashboard listens; empty when it is off.
func (d Dashboard) Address() string {
	if d.Listen == nil {
		return DefaultDashboardListen
	}
	return *d.Listen
}

// SignInConfigured reports whether the dashboard can sign anyone in: without
// an app registration it does not start.
func (d Dashboard) SignInConfigured() bool { return d.ClientID != "" }

// On reports whether the dashboard runs: it has an address and can sign people in.
func (d Dashboard) On() bool { return d.Address() != "" && d.SignInConfigured() }

// BaseURL is where browsers reach the dashboard.
func (d Dashboard) BaseURL() string {
	if d.PublicURL != "" {
		return strings.TrimSuffix(d.PublicURL, "/")
	}
	return "http://" + d.Address()
}

func (d *Dashboard) applyDefaults() {
	setDefault(&d.Authority, DefaultAuthority)
	setDefaultDuration(&d.SessionLifetime, 12*time.Hour)
	setDefaultDuration(&d.StaffRecheck, time.Hour)
}

func (d Dashboard) validate(storeDisabled bool, v *validation) {
	if !d.On() {
		return // off: nothing else is read
	}
	address := d.Address()
	if _, _, err := net.SplitHostPort(address); err != nil {
		v.add("dashboard.listen", "want host:port, or empty to turn the dashboard off, got %q", address)
	}
	if storeDisabled {
		v.add("dashboard.listen", "the dashboard reads the store, which store.disabled turns off: set dashboard.listen to \"\" or enable the store")
	}
	if d.PublicURL != "" {
		if u, err := url.Parse(d.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.add("dashboard.public_url", "want the dashboard's address as browsers reach it, e.g. https://scoreflow.msp.example")
		}
	}
	v.https("dashboard.authority", d.Authority)
	if !d.ClientSecret.IsSet() {
		v.add("dashboard.client_secret", "is required with dashboard.client_id: the app's secret, from the environment")
	}
	if d.MSPTenantID == "" && (d.MSPGroup != "" || d.MSPRole != "") {
		v.add("dashboard.msp_tenant_id", "msp_group and msp_role narrow the MSP's directory: name it")
	}
	if d.MSPTenantID != "" && d.MSPGroup == "" && d.MSPRole == "" {
		v.add("dashboard.msp_group", "the MSP's view of every tenant is for its staff only: set msp_group to the object id of "+
			"the staff's security group (with the app's groups claim on), or msp_role to an app role assigned to them")
	}
	if d.StaffRecheck.D() < time.Minute || d.StaffRecheck.D() > d.SessionLifetime.D() {
		v.add("dashboard.staff_recheck", "want from 1m up to session_lifetime (%s), got %s", d.SessionLifetime.D(), d.StaffRecheck.D())
	}
	if d.SessionLifetime.D() < time.Minute {
		v.add("dashboard.session_lifetime", "want at least 1m, got %s", d.SessionLifetime.D())
	}
}
