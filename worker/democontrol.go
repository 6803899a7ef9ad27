package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	jirasim "github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// DemoControlAddress is where `starter demo ...` asks the demo's simulators to act.
const DemoControlAddress = "127.0.0.1:8089"

// The people of the demo: a specialist in Jira, the customer's approver in Slack.
var (
	demoSpecialist = jirasim.User{AccountID: "557058:demo-specialist", DisplayName: "Sam Specialist"}
	demoCustomer   = slacksim.User{ID: "U0CUSTOMER1", Name: "chris.customer"}
)

// demoControl lets the person trying the demo play the specialist and the
// customer: the simulators then send the signed webhook or interaction to
// the gateway, exactly as Jira and Slack would.
type demoControl struct {
	demo      *demoEnvironment
	clicks    *slacksim.Interactions
	server    *http.Server
	listening net.Listener
}

// demoAction is what `starter demo` sends.
type demoAction struct {
	Control string `json:"control"`
	Status  string `json:"status,omitempty"` // move: a Jira status
	Action  string `json:"action,omitempty"` // click: approve, accept_risk or alternative
	Reason  string `json:"reason,omitempty"`
}

func (d *demoControl) start() error {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /demo/move", d.handle(d.move))
	mux.HandleFunc("POST /demo/click", d.handle(d.click))
	mux.HandleFunc("POST /demo/detect", d.handle(d.detect))
	listener, err := net.Listen("tcp", DemoControlAddress)
	if err != nil {
		return fmt.Errorf("demo control on %s: %w", DemoControlAddress, err)
	}
	d.listening = listener
	d.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = d.server.Serve(listener) }()
	return nil
}

func (d *demoControl) stop() {
	if d.server != nil {
		_ = d.server.Close()
	}
}

func (d *demoControl) handle(act func(ctx context.Context, a demoAction) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var a demoAction
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&a); err != nil || a.Control == "" {
			http.Error(w, "want JSON with a control", http.StatusBadRequest)
			return
		}
		said, err := act(r.Context(), a)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		fmt.Fprintln(w, said)
	}
}

// move moves the control's ticket (its RFC for RFC statuses) as the specialist.
func (d *demoControl) move(_ context.Context, a demoAction) (string, error) {
	rfc := a.Status == "Scheduled" || a.Status == "Implemented" || a.Status == "Cancelled"
	var key string
	for _, issue := range d.demo.jira.Issues() { // the newest matching ticket wins
		labels := strings.Join(issue.Labels, " ")
		if strings.Contains(labels+" ", "sf-control-"+a.Control+" ") && strings.Contains(labels, "sf-rfc") == rfc {
			key = issue.Key
		}
	}
	if key == "" {
		return "", fmt.Errorf("no %s ticket for %s yet", map[bool]string{true: "RFC", false: "recommendation"}[rfc], a.Control)
	}
	status, err := d.demo.jira.MoveAs(key, a.Status, demoSpecialist)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Jira: %s moved %s to %q; the signed webhook got HTTP %d from the gateway", demoSpecialist.DisplayName, key, a.Status, status), nil
}

// click presses the control's decision button in Slack as the customer, and
// fills in the reason when the risk modal opens.
func (d *demoControl) click(_ context.Context, a demoAction) (string, error) {
	actionID, ok := map[string]string{"approve": slack.ActionApprove, "accept_risk": slack.ActionAcceptRisk, "alternative": slack.ActionAlternative}[a.Action]
	if !ok {
		return "", fmt.Errorf("action is approve, accept_risk or alternative")
	}
	workflowID := lifecycle.RecommendationWorkflowID("contoso", a.Control)
	var message *slacksim.Message
	for _, m := range d.demo.slack.Messages("C0CONTOSO") { // the newest message with its buttons
		if strings.Contains(string(m.Blocks), workflowID) && strings.Contains(string(m.Blocks), actionID) {
			m := m
			message = &m
		}
	}
	if message == nil {
		return "", fmt.Errorf("no Slack message asks a decision on %s (a critical decision, or `starter digest`, posts one)", a.Control)
	}
	views := len(d.demo.slack.Views())
	status, _, err := d.clicks.Click(demoCustomer, *message, actionID, workflowID)
	if err != nil {
		return "", err
	}
	said := fmt.Sprintf("Slack: %s clicked %q; the signed interaction got HTTP %d", demoCustomer.Name, a.Action, status)
	if actionID != slack.ActionAcceptRisk {
		return said, nil
	}
	opened := d.demo.slack.Views()
	if len(opened) == views {
		return "", fmt.Errorf("%s; no reason modal opened", said)
	}
	reason := a.Reason
	if reason == "" {
		reason = "accepted in the scoreflow demo"
	}
	status, body, err := d.clicks.SubmitReason(demoCustomer, opened[len(opened)-1], reason)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, then submitted the reason %q (HTTP %d %s)", said, reason, status, strings.TrimSpace(body)), nil
}

// detect plays Microsoft's detection: the control reaches its maximum score, and a sweep runs now.
func (d *demoControl) detect(ctx context.Context, a demoAction) (string, error) {
	profile, ok := d.demo.graph.Profile(d.demo.contoso.AzureTenantID, a.Control)
	if !ok {
		return "", fmt.Errorf("no control %s in Contoso", a.Control)
	}
	d.demo.graph.SetScore(d.demo.contoso.AzureTenantID, a.Control, profile.MaxScore)
	c, err := client.DialContext(ctx, client.Options{HostPort: "127.0.0.1:7233"})
	if err != nil {
		return "", err
	}
	defer c.Close()
	if err := c.ScheduleClient().GetHandle(ctx, lifecycle.SweepScheduleID("contoso")).Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		return "", err
	}
	return fmt.Sprintf("Graph: %s now scores %.0f/%.0f; Contoso's sweep runs now", a.Control, profile.MaxScore, profile.MaxScore), nil
}
