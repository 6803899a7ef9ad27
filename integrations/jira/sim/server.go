// Package sim is a local Jira for tests and the demo: the REST API v2 calls
// go-jira and scoreflow make, with Jira Cloud's rules (basic auth with an API
// token, no "visibility":{} comments, /rest/api/2/search removed). It is a
// test double for Atlassian's service only.
package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scoreflow/scoreflow/integrations/simfault"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Statuses is the simulated project workflow: a new ticket's status, the
// default status of every verdict, and the done status.
var Statuses = func() []string {
	statuses := []string{"To Do"}
	for _, v := range lifecycle.Verdicts() {
		statuses = append(statuses, v.DefaultStatus())
	}
	return append(statuses, lifecycle.DoneStatus)
}()

// Issue is a simulated ticket.
type Issue struct {
	ID          string
	Key         string
	Project     string
	Type        string
	Summary     string
	Description string
	Labels      []string
	Status      string
	Comments    []string
	Links       []string // keys of linked issues
	Updated     time.Time
	// History is the ticket's status changes, oldest first: its changelog.
	History []Change
}

// Change is one status change in a ticket's changelog. A zero Author is a
// change Jira records without a person, such as an automation rule's.
type Change struct {
	Author   User
	At       time.Time
	From, To string
}

// Server is a running simulated Jira Cloud site.
type Server struct {
	srv      *httptest.Server
	email    string
	apiToken string
	pat      string

	mu     sync.Mutex
	issues map[string]*Issue
	order  []string
	// byLabel indexes the keys by label, in creation order, as Jira's own
	// index does: a search by label no longer reads every ticket, which at
	// 8,000 tickets was most of the simulator's share of the benchmark's CPU.
	byLabel  map[string][]string
	counters map[string]int
	creates  int
	now      func() time.Time
	// connections counts the TCP connections clients opened to the site.
	connections atomic.Int64

	// projects are the projects the site knows, for GET /project: by key.
	projects map[string]Project

	webhookURL, webhookSecret string
	deliveries                int
	lastDelivery              Delivery

	// AfterCreate, when set, runs once a ticket is stored and before Jira
	// answers: a test kills the worker there, between "created" and "completed".
	AfterCreate func(key string)
	// AfterTransition, when set, runs once a ticket moved and before Jira answers.
	AfterTransition func(key, status string)
	// Faults make the site fail as Jira does when throttling or down.
	Faults *simfault.Injector
}

// New starts a Jira Cloud site that accepts one account's email and API token.
func New(email, apiToken string) *Server { return newServer(email, apiToken, "") }

// NewDataCenter starts a Jira Data Center site that accepts one personal access token.
func NewDataCenter(personalAccessToken string) *Server { return newServer("", "", personalAccessToken) }

func newServer(email, apiToken, pat string) *Server {
	s := &Server{email: email, apiToken: apiToken, pat: pat, issues: map[string]*Issue{}, byLabel: map[string][]string{},
		counters: map[string]int{}, projects: map[string]Project{}, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /rest/api/2/issue", s.auth(s.createIssue))
	mux.HandleFunc("GET /rest/api/2/issue/{key}", s.auth(s.getIssue))
	mux.HandleFunc("GET /rest/api/2/issue/{key}/comment", s.auth(s.listComments))
	mux.HandleFunc("POST /rest/api/2/issue/{key}/comment", s.auth(s.addComment))
	mux.HandleFunc("GET /rest/api/2/issue/{key}/transitions", s.auth(s.listTransitions))
	mux.HandleFunc("POST /rest/api/2/issue/{key}/transitions", s.auth(s.doTransition))
	mux.HandleFunc("POST /rest/api/2/issueLink", s.auth(s.linkIssues))
	mux.HandleFunc("GET /rest/api/2/search/jql", s.auth(s.searchJQL))
	mux.HandleFunc("GET /rest/api/2/project/{key}", s.auth(s.getProject))
	mux.HandleFunc("GET /rest/api/2/project/{key}/statuses", s.auth(s.projectStatuses))
	mux.HandleFunc("GET /rest/api/2/search", s.auth(func(w http.ResponseWriter, r *http.Request) {
		jiraError(w, http.StatusGone, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.")
	}))
	s.Faults = simfault.New(func(w http.ResponseWriter, status int) {
		jiraError(w, status, http.StatusText(status))
	})
	s.srv = httptest.NewUnstartedServer(s.Faults.Wrap(mux))
	s.srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.connections.Add(1)
		}
	}
	s.srv.Start()
	return s
}

// Project is a project the site knows, with its issue types; every issue
// type's workflow has the site's Statuses.
type Project struct {
	Key, Name  string
	IssueTypes []string
}

// AddProject makes a project known to GET /project, with the issue types
// scoreflow uses by default when none are given.
func (s *Server) AddProject(key, name string, issueTypes ...string) {
	if len(issueTypes) == 0 {
		issueTypes = []string{"Task", "Change"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projects[key] = Project{Key: key, Name: name, IssueTypes: issueTypes}
}

func (s *Server) project(w http.ResponseWriter, r *http.Request) (Project, bool) {
	p, ok := s.projects[r.PathValue("key")]
	if !ok {
		jiraError(w, http.StatusNotFound, "No project could be found with key '"+r.PathValue("key")+"'.")
	}
	return p, ok
}

func (s *Server) getProject(w http.ResponseWriter, r *http.Request) {
	p, ok := s.project(w, r)
	if !ok {
		return
	}
	var types []map[string]any
	for i, name := range p.IssueTypes {
		types = append(types, map[string]any{"id": strconv.Itoa(10001 + i), "name": name})
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": "10000", "key": p.Key, "name": p.Name, "issueTypes": types})
}

func (s *Server) projectStatuses(w http.ResponseWriter, r *http.Request) {
	p, ok := s.project(w, r)
	if !ok {
		return
	}
	var statuses []map[string]any
	for i, name := range Statuses {
		statuses = append(statuses, map[string]any{"id": strconv.Itoa(100 + i), "name": name})
	}
	var byType []map[string]any
	for i, name := range p.IssueTypes {
		byType = append(byType, map[string]any{"id": strconv.Itoa(10001 + i), "name": name, "statuses": statuses})
	}
	writeJSON(w, http.StatusOK, byType)
}

// Connections is how many connections clients have opened to the site.
func (s *Server) Connections() int { return int(s.connections.Load()) }

// URL is the site's base URL, for jira.base_url.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the site.
func (s *Server) Close() { s.srv.Close() }

// Issues returns copies of every ticket, in creation order.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, 0, len(s.order))
	for _, key := range s.order {
		out = append(out, *s.issues[key])
	}
	return out
}

// Issue returns a copy of one ticket.
func (s *Server) Issue(key string) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.issues[key]; ok {
		return *i, true
	}
	return Issue{}, false
}

// Creates is how many create requests the site accepted.
func (s *Server) Creates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creates
}

// Move sets a ticket's status as a specialist does in Jira's UI.
func (s *Server) Move(key, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	issue, ok := s.issues[key]
	if !ok {
		return fmt.Errorf("no issue %s", key)
	}
	s.setStatus(issue, status, User{})
	return nil
}

// setStatus moves a ticket and writes the change to its changelog.
func (s *Server) setStatus(issue *Issue, status string, by User) {
	now := s.now()
	issue.History = append(issue.History, Change{Author: by, At: now, From: issue.Status, To: status})
	issue.Status, issue.Updated = status, now
}

// apiUser is the account scoreflow's requests act as, in the changelog.
func (s *Server) apiUser() User {
	if s.pat != "" {
		return User{AccountID: "scoreflow-dc", DisplayName: "scoreflow"}
	}
	return User{AccountID: "scoreflow-" + s.email, DisplayName: "scoreflow"}
}

func (s *Server) auth(handler http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r.Header.Get("Authorization")) {
			w.Header().Set("WWW-Authenticate", `Basic realm="protected-area"`)
			jiraError(w, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		handler(w, r)
	}
}

// authorized accepts Basic email:token on Cloud, Bearer token on Data Center.
func (s *Server) authorized(header string) bool {
	if s.pat != "" {
		return header == "Bearer "+s.pat
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(header, "Basic "))
	return strings.HasPrefix(header, "Basic ") && err == nil && string(raw) == s.email+":"+s.apiToken
}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Fields struct {
			Project     struct{ Key string }  `json:"project"`
			IssueType   struct{ Name string } `json:"issuetype"`
			Summary     string                `json:"summary"`
			Description string                `json:"description"`
			Labels      []string              `json:"labels"`
		} `json:"fields"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		jiraError(w, http.StatusBadRequest, "Unable to parse the request body.")
		return
	}
	f := body.Fields
	if f.Project.Key == "" || f.Summary == "" || f.IssueType.Name == "" {
		jiraFieldErrors(w, map[string]string{"project": "project is required", "summary": "summary is required"})
		return
	}
	for _, l := range f.Labels {
		if strings.ContainsAny(l, " \t") {
			jiraFieldErrors(w, map[string]string{"labels": "The label '" + l + "' contains spaces which is invalid."})
			return
		}
	}
	s.counters[f.Project.Key]++
	s.creates++
	key := fmt.Sprintf("%s-%d", f.Project.Key, s.counters[f.Project.Key])
	issue := &Issue{ID: strconv.Itoa(10000 + len(s.order)), Key: key, Project: f.Project.Key, Type: f.IssueType.Name,
		Summary: f.Summary, Description: f.Description, Labels: f.Labels, Status: "To Do", Updated: s.now()}
	s.issues[key] = issue
	s.order = append(s.order, key)
	for _, l := range slices.Compact(slices.Sorted(slices.Values(f.Labels))) {
		s.byLabel[l] = append(s.byLabel[l], key)
	}
	if s.AfterCreate != nil {
		s.AfterCreate(key)
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": issue.ID, "key": key, "self": s.srv.URL + "/rest/api/2/issue/" + issue.ID})
}

func (s *Server) issueJSON(i *Issue) map[string]any {
	comments := make([]map[string]any, len(i.Comments))
	for n, c := range i.Comments {
		comments[n] = map[string]any{"id": strconv.Itoa(n + 1), "body": c}
	}
	return map[string]any{
		"id": i.ID, "key": i.Key, "self": s.srv.URL + "/rest/api/2/issue/" + i.ID,
		"fields": map[string]any{
			"summary": i.Summary, "description": i.Description, "labels": i.Labels,
			"status":    map[string]any{"name": i.Status},
			"issuetype": map[string]any{"name": i.Type},
			"project":   map[string]any{"key": i.Project},
			"updated":   i.Updated.Format(jiraTime),
			"comment":   map[string]any{"comments": comments, "total": len(comments)},
		},
	}
}

// withChangelog adds what expand=changelog adds: the status changes, most
// recent first, as Jira's enhanced search returns them.
func withChangelog(issue map[string]any, i *Issue) map[string]any {
	histories := make([]map[string]any, 0, len(i.History))
	for n := len(i.History) - 1; n >= 0; n-- {
		c := i.History[n]
		history := map[string]any{
			"id":      strconv.Itoa(10000 + n),
			"created": c.At.Format(jiraTime),
			"items":   []map[string]any{{"field": "status", "fieldtype": "jira", "fromString": c.From, "toString": c.To}},
		}
		if c.Author != (User{}) {
			history["author"] = map[string]any{"accountId": c.Author.AccountID, "displayName": c.Author.DisplayName}
		}
		histories = append(histories, history)
	}
	issue["changelog"] = map[string]any{"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories}
	return issue
}

// jiraTime is how Jira writes times in its JSON.
const jiraTime = "2006-01-02T15:04:05.000-0700"

func (s *Server) issueOr404(w http.ResponseWriter, r *http.Request) *Issue {
	issue := s.issues[r.PathValue("key")]
	if issue == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
	}
	return issue
}

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	if issue := s.issueOr404(w, r); issue != nil {
		writeJSON(w, http.StatusOK, s.issueJSON(issue))
	}
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	if issue := s.issueOr404(w, r); issue != nil {
		writeJSON(w, http.StatusOK, s.issueJSON(issue)["fields"].(map[string]any)["comment"])
	}
}

// addComment rejects "visibility":{} as Jira does: go-jira's AddComment sends it.
func (s *Server) addComment(w http.ResponseWriter, r *http.Request) {
	issue := s.issueOr404(w, r)
	if issue == nil {
		return
	}
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		jiraError(w, http.StatusBadRequest, "Unable to parse the request body.")
		return
	}
	if v, ok := body["visibility"]; ok && strings.ReplaceAll(string(v), " ", "") == "{}" {
		jiraFieldErrors(w, map[string]string{"commentLevel": "You are currently not a member of the project role: ."})
		return
	}
	var text string
	if err := json.Unmarshal(body["body"], &text); err != nil || text == "" {
		jiraFieldErrors(w, map[string]string{"comment": "Comment body can not be empty!"})
		return
	}
	issue.Comments = append(issue.Comments, text)
	issue.Updated = s.now()
	writeJSON(w, http.StatusCreated, map[string]any{"id": strconv.Itoa(len(issue.Comments)), "body": text})
}

func (s *Server) listTransitions(w http.ResponseWriter, r *http.Request) {
	if issue := s.issueOr404(w, r); issue != nil {
		var transitions []map[string]any
		for i, status := range Statuses {
			if status != issue.Status {
				transitions = append(transitions, map[string]any{"id": strconv.Itoa(11 + i), "name": status,
					"to": map[string]any{"name": status, "id": strconv.Itoa(100 + i)}})
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"transitions": transitions})
	}
}

func (s *Server) doTransition(w http.ResponseWriter, r *http.Request) {
	issue := s.issueOr404(w, r)
	if issue == nil {
		return
	}
	var body struct {
		Transition struct{ ID string } `json:"transition"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	n, err := strconv.Atoi(body.Transition.ID)
	if err != nil || n < 11 || n-11 >= len(Statuses) || Statuses[n-11] == issue.Status {
		jiraError(w, http.StatusBadRequest, "Transition id '"+body.Transition.ID+"' is not valid for this issue.")
		return
	}
	s.setStatus(issue, Statuses[n-11], s.apiUser())
	if s.AfterTransition != nil {
		s.AfterTransition(issue.Key, issue.Status)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) linkIssues(w http.ResponseWriter, r *http.Request) {
	var body struct {
		InwardIssue  struct{ Key string } `json:"inwardIssue"`
		OutwardIssue struct{ Key string } `json:"outwardIssue"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	in, out := s.issues[body.InwardIssue.Key], s.issues[body.OutwardIssue.Key]
	if in == nil || out == nil {
		jiraError(w, http.StatusNotFound, "No issue link can be created: an issue does not exist.")
		return
	}
	if !contains(in.Links, out.Key) {
		in.Links = append(in.Links, out.Key)
		out.Links = append(out.Links, in.Key)
	}
	w.WriteHeader(http.StatusCreated)
}

var (
	labelClause   = regexp.MustCompile(`^labels\s*=\s*"([^"]*)"$`)
	updatedClause = regexp.MustCompile(`^updated\s*>=\s*"-(\d+)m"$`)
)

// searchJQL understands the JQL scoreflow writes: labels = "x" and
// updated >= "-Nm" clauses joined by AND.
func (s *Server) searchJQL(w http.ResponseWriter, r *http.Request) {
	var labels []string
	var since time.Time
	for _, clause := range strings.Split(r.URL.Query().Get("jql"), " AND ") {
		clause = strings.TrimSpace(clause)
		if m := labelClause.FindStringSubmatch(clause); m != nil {
			labels = append(labels, m[1])
			continue
		}
		if m := updatedClause.FindStringSubmatch(clause); m != nil {
			minutes, _ := strconv.Atoi(m[1])
			since = s.now().Add(-time.Duration(minutes) * time.Minute)
			continue
		}
		jiraError(w, http.StatusBadRequest, "Error in the JQL Query: unsupported clause '"+clause+"'.")
		return
	}
	changelog := slices.Contains(strings.Split(r.URL.Query().Get("expand"), ","), "changelog")
	candidates := s.order
	for _, l := range labels {
		if keys := s.byLabel[l]; len(keys) < len(candidates) {
			candidates = keys
		}
	}
	var found []map[string]any
	for _, key := range candidates {
		issue := s.issues[key]
		match := !issue.Updated.Before(since)
		for _, l := range labels {
			match = match && contains(issue.Labels, l)
		}
		if match && changelog {
			found = append(found, withChangelog(s.issueJSON(issue), issue))
		} else if match {
			found = append(found, s.issueJSON(issue))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"issues": found})
}

func contains(list []string, v string) bool { return slices.Contains(list, v) }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func jiraError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"errorMessages": []string{message}, "errors": map[string]string{}})
}

func jiraFieldErrors(w http.ResponseWriter, errs map[string]string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": errs})
}
