package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/integrations/jira"
	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/temporal/temporalclient"
)

// ControlAddress is where `starter demo ...` asks the demo to act.
const ControlAddress = "127.0.0.1:8089"

// The people of the demo: a specialist in Jira, Contoso's and Fabrikam's approvers in Slack.
var (
	specialist       = jirasim.User{AccountID: "557058:demo-specialist", DisplayName: "Sam Specialist"}
	customer         = slacksim.User{ID: "U0CUSTOMER1", Name: "chris.customer"}
	fabrikamApprover = slacksim.User{ID: "U0FABRIKAM1", Name: "fiona.fabrikam"}
)

// Action is what `starter demo` asks for: move a control's ticket to a
// status, click a decision button, or have Microsoft detect the change.
type Action struct {
	Tenant   string             `json:"tenant,omitempty"` // empty: contoso
	Control  string             `json:"control"`
	Status   string             `json:"status,omitempty"`   // move: a Jira status
	Decision lifecycle.Decision `json:"decision,omitempty"` // click
	Reason   string             `json:"reason,omitempty"`   // click accept_risk
}

// Send asks the running demo to do verb (move, click or detect) and returns what it did.
func Send(verb string, action Action) (string, error) {
	body, _ := json.Marshal(action)
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Post("http://"+ControlAddress+"/demo/"+verb, "application/json", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("the demo is not running (go run ./worker --demo): %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s", strings.TrimSpace(string(answer)))
	}
	return string(answer), nil
}

// control lets the person trying the demo play the specialist and the
// customer: the simulators then send the signed webhook or interaction to
// the gateway, exactly as Jira and Slack would.
type control struct {
	demo   *Environment
	clicks *slacksim.Interactions
	server *http.Server
}

func (c *control) start() error {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /demo/move", c.handle(c.move))
	mux.HandleFunc("POST /demo/click", c.handle(c.click))
	mux.HandleFunc("POST /demo/detect", c.handle(c.detect))
	mux.HandleFunc("GET /demo/mail", c.mail)
	listener, err := net.Listen("tcp", ControlAddress)
	if err != nil {
		return fmt.Errorf("demo control on %s: %w", ControlAddress, err)
	}
	c.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = c.server.Serve(listener) }()
	return nil
}

func (c *control) stop() {
	if c.server != nil {
		_ = c.server.Close()
	}
}

func (c *control) handle(act func(ctx context.Context, t *tenant, a Action) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var a Action
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&a); err != nil || a.Control == "" {
			http.Error(w, "want JSON with a control", http.StatusBadRequest)
			return
		}
		t, known := c.demo.tenant(a.Tenant)
		if !known {
			http.Error(w, fmt.Sprintf("the demo has no tenant %q", a.Tenant), http.StatusUnprocessableEntity)
			return
		}
		said, err := act(r.Context(), t, a)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		fmt.Fprintln(w, said)
	}
}

// move moves the control's ticket (its RFC for an RFC's statuses) as the specialist.
func (c *control) move(_ context.Context, t *tenant, a Action) (string, error) {
	verdict, ok := c.verdictOf(a.Status)
	if !ok {
		return "", fmt.Errorf("%q is no status of the demo's Jira workflow", a.Status)
	}
	rfc := verdict.OnRFC()
	var key string
	for _, issue := range c.demo.jira.Issues() { // the newest matching ticket wins
		labels := " " + strings.Join(issue.Labels, " ") + " "
		if strings.Contains(labels, " "+jira.TenantLabel(t.id)+" ") && strings.Contains(labels, " "+jira.ControlLabel(a.Control)+" ") &&
			strings.Contains(labels, " "+jira.LabelRFC+" ") == rfc {
			key = issue.Key
		}
	}
	if key == "" {
		return "", fmt.Errorf("no %s ticket for %s of %s yet", map[bool]string{true: "RFC", false: "recommendation"}[rfc], a.Control, t.name)
	}
	status, err := c.demo.jira.MoveAs(key, a.Status, specialist)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Jira: %s moved %s to %q; the signed webhook got HTTP %d from the gateway", specialist.DisplayName, key, a.Status, status), nil
}

// verdictOf is the verdict a status of the demo's config means.
func (c *control) verdictOf(status string) (lifecycle.Verdict, bool) {
	for verdict, name := range c.demo.Config.Jira.VerdictStatuses() {
		if strings.EqualFold(name, status) {
			return verdict, true
		}
	}
	return "", false
}

// click presses the control's decision button in Slack as the customer, and
// fills in the reason when the risk modal opens.
func (c *control) click(_ context.Context, t *tenant, a Action) (string, error) {
	actionID, ok := slack.ActionID(a.Decision)
	if !ok {
		return "", fmt.Errorf("the decision is one of %v", lifecycle.Decisions())
	}
	if t.channel == "" {
		return "", fmt.Errorf("%s is not told in Slack: it decides on the dashboard (sign in as %s)", t.name, t.viewer.Name)
	}
	workflowID := lifecycle.RecommendationWorkflowID(t.id, a.Control)
	var message *slacksim.Message
	for _, m := range c.demo.slack.Messages(t.channel) { // the newest message with its buttons
		if strings.Contains(string(m.Blocks), workflowID) && strings.Contains(string(m.Blocks), actionID) {
			m := m
			message = &m
		}
	}
	if message == nil {
		return "", fmt.Errorf("no Slack message asks a decision on %s (a critical decision, or `starter digest`, posts one)", a.Control)
	}
	views := len(c.demo.slack.Views())
	status, _, err := c.clicks.Click(t.approver, *message, actionID, workflowID)
	if err != nil {
		return "", err
	}
	said := fmt.Sprintf("Slack: %s clicked %q; the signed interaction got HTTP %d", t.approver.Name, a.Decision, status)
	if !a.Decision.NeedsReason() {
		return said, nil
	}
	opened := c.demo.slack.Views()
	if len(opened) == views {
		return "", fmt.Errorf("%s; no reason modal opened", said)
	}
	reason := a.Reason
	if reason == "" {
		reason = "accepted in the scoreflow demo"
	}
	status, body, err := c.clicks.SubmitReason(t.approver, opened[len(opened)-1], reason)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, then submitted the reason %q (HTTP %d %s)", said, reason, status, strings.TrimSpace(body)), nil
}

// detect plays Microsoft's detection: the control reaches its maximum score, and a sweep runs now.
func (c *control) detect(ctx context.Context, t *tenant, a Action) (string, error) {
	profile, ok := c.demo.graph.Profile(t.graph.AzureTenantID, a.Control)
	if !ok {
		return "", fmt.Errorf("no control %s in %s", a.Control, t.name)
	}
	c.demo.graph.SetScore(t.graph.AzureTenantID, a.Control, profile.MaxScore)
	temporal, err := client.DialContext(ctx, client.Options{HostPort: temporalclient.Address(c.demo.Config.Temporal)})
	if err != nil {
		return "", err
	}
	defer temporal.Close()
	if err := temporal.ScheduleClient().GetHandle(ctx, lifecycle.SweepScheduleID(t.id)).Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		return "", err
	}
	return fmt.Sprintf("Graph: %s now scores %.0f/%.0f; %s's sweep runs now", a.Control, profile.MaxScore, profile.MaxScore, t.name), nil
}

// mail shows the mails the MSP's mailbox sent, oldest first, as the
// customer received them.
func (c *control) mail(w http.ResponseWriter, _ *http.Request) {
	mails := c.demo.graph.Mails()
	if len(mails) == 0 {
		fmt.Fprintln(w, "No mail sent yet: a critical decision of Van Dijk Bouw, or its digest, sends one.")
		return
	}
	for _, m := range mails {
		fmt.Fprintf(w, "From:    %s\nTo:      %s\nDate:    %s\nSubject: %s\n\n%s\n\n", m.From, strings.Join(m.To, ", "),
			m.SentAt.UTC().Format(time.RFC1123), m.Subject, m.Body)
	}
}

// Mails asks the running demo for the mails it sent.
func Mails() (string, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get("http://" + ControlAddress + "/demo/mail")
	if err != nil {
		return "", fmt.Errorf("the demo is not running (go run ./worker --demo): %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return string(answer), err
}
