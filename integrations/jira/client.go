// Package jira is scoreflow's side of Jira: recommendation and RFC tickets
// through go-jira, read back for verdicts, and its simulator in jira/sim.
package jira

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gojira "github.com/andygrunwald/go-jira"

	"github.com/scoreflow/scoreflow/integrations/httppool"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// Config is what the client needs of scoreflow.yaml's jira section.
type Config struct {
	BaseURL string
	// Email with APIToken is Jira Cloud; PersonalAccessToken alone is Jira Data Center.
	Email               string
	APIToken            string
	PersonalAccessToken string
	IssueType           string
	RFCIssueType        string
	// Statuses names the status that means each verdict, DoneStatus the one
	// scoreflow closes tickets with (config jira.statuses).
	Statuses   map[lifecycle.Verdict]string
	DoneStatus string
	Projects   map[string]string // Jira project key by tenant id
	HTTPClient *http.Client      // nil: a transport keeping IdleConnections to Jira
	// Language is what the tickets are written in (config msp_language).
	Language texts.Language
}

// RequestTimeout bounds one call to Jira: a hung connection fails the
// attempt, and the activity retries, well before its own timeout.
const RequestTimeout = 20 * time.Second

// IdleConnections is how many connections to Jira stay open between calls:
// enough for the tickets of an onboarding's concurrent activities.
const IdleConnections = 32

// Client talks to one Jira site for every tenant.
type Client struct {
	api   *gojira.Client
	cfg   Config
	texts *texts.Texts
}

// New builds the go-jira client with the configured authentication.
func New(cfg Config) (*Client, error) {
	var base http.RoundTripper = httppool.Transport(IdleConnections)
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	var httpClient *http.Client
	switch {
	case cfg.PersonalAccessToken != "":
		httpClient = (&gojira.PATAuthTransport{Token: cfg.PersonalAccessToken, Transport: base}).Client()
	case cfg.Email != "" && cfg.APIToken != "":
		httpClient = (&gojira.BasicAuthTransport{Username: cfg.Email, Password: cfg.APIToken, Transport: base}).Client()
	default:
		return nil, fmt.Errorf("jira: set email and api_token (Cloud) or personal_access_token (Data Center)")
	}
	httpClient.Timeout = RequestTimeout
	if cfg.HTTPClient != nil && cfg.HTTPClient.Timeout != 0 {
		httpClient.Timeout = cfg.HTTPClient.Timeout
	}
	api, err := gojira.NewClient(httpClient, cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("jira: %w", err)
	}
	return &Client{api: api, cfg: cfg, texts: texts.For(cfg.Language)}, nil
}

// The labels by which scoreflow's tickets are found (docs/configuration.md, "Jira").
const (
	LabelScoreflow = "scoreflow"
	LabelRFC       = "sf-rfc"
)

// TenantLabel and ControlLabel name a ticket's tenant and control.
func TenantLabel(tenantID string) string   { return "sf-tenant-" + tenantID }
func ControlLabel(controlID string) string { return "sf-control-" + controlID }

// stepLabel marks the ticket one workflow step created, so a retried
// activity finds it instead of creating a second one.
func stepLabel(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "/")))
	return "sf-step-" + hex.EncodeToString(sum[:6])
}

// Ticket is what scoreflow reads back of a ticket.
type Ticket struct {
	Key     string
	Status  string
	Labels  []string
	Summary string
	Updated string
	// StatusSetBy is who moved the ticket to its status, when its changelog
	// was read (Poll) and names a person; zero otherwise.
	StatusSetBy lifecycle.Person
}

// TenantAndControl reads the scoreflow labels of a ticket.
func (t Ticket) TenantAndControl() (tenantID, controlID string, ok bool) {
	for _, l := range t.Labels {
		if v, found := strings.CutPrefix(l, "sf-tenant-"); found {
			tenantID = v
		}
		if v, found := strings.CutPrefix(l, "sf-control-"); found {
			controlID = v
		}
	}
	return tenantID, controlID, tenantID != "" && controlID != ""
}

// IsRFC reports whether the ticket is a change ticket.
func (t Ticket) IsRFC() bool {
	for _, l := range t.Labels {
		if l == LabelRFC {
			return true
		}
	}
	return false
}

// ErrTicketNotFound says Jira has no such ticket (or hides it from scoreflow's account).
var ErrTicketNotFound = errors.New("jira: ticket not found")

// Get reads a ticket's current status and labels.
func (c *Client) Get(ctx context.Context, key string) (Ticket, error) {
	issue, resp, err := c.api.Issue.GetWithContext(ctx, key, &gojira.GetQueryOptions{Fields: "summary,status,labels,updated"})
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return Ticket{}, fmt.Errorf("%w: %s", ErrTicketNotFound, key)
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("jira: reading %s: %w", key, err)
	}
	return toTicket(issue), nil
}

func toTicket(issue *gojira.Issue) Ticket {
	t := Ticket{Key: issue.Key}
	if issue.Fields != nil {
		t.Labels, t.Summary = issue.Fields.Labels, issue.Fields.Summary
		t.Updated = time.Time(issue.Fields.Updated).UTC().Format(time.RFC3339Nano)
		if issue.Fields.Status != nil {
			t.Status = issue.Fields.Status.Name
		}
	}
	t.StatusSetBy = statusSetBy(issue.Changelog, t.Status)
	return t
}

// statusSetBy finds, in a changelog, who made the latest change to status.
// Jira's search lists the changes most recent first, its other calls oldest
// first, so the time decides, then the id, which Jira numbers upward (two
// moves can share a millisecond). A change Jira made itself names no one.
func statusSetBy(changelog *gojira.Changelog, status string) lifecycle.Person {
	if changelog == nil || status == "" {
		return lifecycle.Person{}
	}
	var by lifecycle.Person
	var latest time.Time
	latestID := -1
	for _, h := range changelog.Histories {
		created, err := time.Parse(jiraTime, h.Created)
		id, idErr := strconv.Atoi(h.Id)
		if err != nil || idErr != nil || created.Before(latest) || (created.Equal(latest) && id < latestID) {
			continue
		}
		for _, item := range h.Items {
			if item.Field == "status" && item.ToString == status {
				by, latest, latestID = lifecycle.Person{ID: h.Author.AccountID, Name: h.Author.DisplayName}, created, id
			}
		}
	}
	return by
}

// jiraTime is how Jira writes times in its JSON.
const jiraTime = "2006-01-02T15:04:05.000-0700"

// Search runs JQL through /rest/api/2/search/jql: Jira Cloud removed
// /rest/api/2/search, and go-jira v1.17 knows only the old call.
func (c *Client) Search(ctx context.Context, jql string) ([]Ticket, error) {
	return c.search(ctx, jql, "")
}

// search runs JQL; expand is Jira's, such as "changelog".
func (c *Client) search(ctx context.Context, jql, expand string) ([]Ticket, error) {
	var tickets []Ticket
	token := ""
	for {
		query := url.Values{"jql": {jql}, "fields": {"summary,status,labels,updated"}, "maxResults": {"100"}}
		if expand != "" {
			query.Set("expand", expand)
		}
		if token != "" {
			query.Set("nextPageToken", token)
		}
		req, err := c.api.NewRequestWithContext(ctx, http.MethodGet, "rest/api/2/search/jql?"+query.Encode(), nil)
		if err != nil {
			return nil, err
		}
		var page struct {
			Issues        []gojira.Issue `json:"issues"`
			NextPageToken string         `json:"nextPageToken"`
		}
		if _, err := c.api.Do(req, &page); err != nil {
			return nil, fmt.Errorf("jira: searching %q: %w", jql, err)
		}
		for i := range page.Issues {
			tickets = append(tickets, toTicket(&page.Issues[i]))
		}
		if token = page.NextPageToken; token == "" {
			return tickets, nil
		}
	}
}

// jqlString quotes a value for JQL.
func jqlString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
