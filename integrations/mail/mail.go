// Package mail tells customers by e-mail what waits for them: a critical
// decision the day it is asked, the regular meeting's digest and report on
// its day, an escalation to the technical lead. Mails are written in the
// tenant's language and sent from the MSP's mailbox through Graph's
// sendMail, once each. A mail says what the customer needs to decide and
// links to the dashboard, where they decide; nothing in it should not be
// read by a stranger it is forwarded to: no reasons of other decisions, no
// ticket keys.
package mail

import (
	"context"
	"fmt"
	"strings"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// Sender sends a mail from a mailbox once per key (graph.Client).
type Sender interface {
	SendMailOnce(ctx context.Context, from string, m graph.Mail) error
}

// Tenant is who of a tenant is told by mail, and in which language.
type Tenant struct {
	Name          string
	To            []string // the people who decide
	TechnicalLead string   // told of an escalation; "": no one
	Language      texts.Language
}

// Config is what the client needs of scoreflow.yaml.
type Config struct {
	From string // the MSP's mailbox
	// Tenants are the tenants told by e-mail, by id; any other is not.
	Tenants map[string]Tenant
	// DashboardURL is where customers decide; "" when the dashboard is off.
	DashboardURL string
}

// Client writes and sends the mails.
type Client struct {
	sender Sender
	cfg    Config
}

// New is a client sending through sender.
func New(cfg Config, sender Sender) *Client { return &Client{sender: sender, cfg: cfg} }

// Decision mails a critical decision to the tenant's people, on the day it
// is asked. key makes the send happen once.
func (c *Client) Decision(ctx context.Context, req lifecycle.DecisionRequest, key string) error {
	t, told := c.cfg.Tenants[req.TenantID]
	if !told {
		return nil
	}
	words := texts.For(t.Language)
	body := []string{words.T("mail.decision.intro", "Tenant", t.Name), "", item(words, req.DecisionSubject), ""}
	body = append(body, c.howToDecide(words, req.TenantID)...)
	return c.send(ctx, t.To, words.T("mail.decision.subject", "Control", req.ControlTitle), words, body, key)
}

// Digest mails the regular meeting's digest: the decisions open for it and
// the meeting report's link. With nothing to decide and no report to link
// there is nothing to tell.
func (c *Client) Digest(ctx context.Context, d lifecycle.DigestRequest, key string) error {
	t, told := c.cfg.Tenants[d.TenantID]
	if !told || (len(d.Items) == 0 && c.cfg.DashboardURL == "") {
		return nil
	}
	words := texts.For(t.Language)
	var body []string
	if len(d.Items) == 0 {
		body = append(body, words.T("mail.digest.none"), "")
	} else {
		body = append(body, words.T("mail.digest.intro", "Tenant", t.Name), "")
		for _, it := range d.Items {
			body = append(body, item(words, it.DecisionSubject), "")
		}
		body = append(body, c.howToDecide(words, d.TenantID)...)
		body = append(body, "")
	}
	if c.cfg.DashboardURL != "" {
		body = append(body, words.T("mail.digest.report", "URL", c.cfg.DashboardURL+"/tenants/"+d.TenantID+"/report"))
	}
	return c.send(ctx, t.To, words.Count("mail.digest.subject", len(d.Items)), words, body, key)
}

// Escalation tells the tenant's technical lead that a critical decision has
// waited too long.
func (c *Client) Escalation(ctx context.Context, reply lifecycle.ThreadReply, key string) error {
	t, told := c.cfg.Tenants[reply.TenantID]
	if !told || t.TechnicalLead == "" {
		return nil
	}
	words := texts.For(t.Language)
	body := []string{words.T("mail.escalation.body", "Control", reply.ControlTitle, "Waited", words.Period(reply.Waited), "Tenant", t.Name), ""}
	body = append(body, c.howToDecide(words, reply.TenantID)...)
	return c.send(ctx, []string{t.TechnicalLead}, words.T("mail.escalation.subject", "Control", reply.ControlTitle), words, body, key)
}

// item is what the customer needs to decide on a recommendation.
func item(words *texts.Texts, s lifecycle.DecisionSubject) string {
	f, p := s.Facts, s.PreAssessment
	financial := words.T("slack.decision.financial_no")
	if p.FinancialImpact {
		financial = words.T("slack.decision.financial_yes")
	}
	impact := words.T("mail.item.impact", "UserImpact", p.UserImpact, "FinancialImpact", financial)
	if len(p.MissingLicences) > 0 {
		impact += " (" + strings.Join(p.MissingLicences, "; ") + ")"
	}
	lines := []string{s.ControlTitle,
		words.T("mail.item.points", "Impact", words.Number(f.ScoreImpact(), 2)+"%", "Category", f.Category, "Service", f.Service), impact}
	if s.Advice != "" {
		lines = append(lines, words.T("mail.item.advice", "Advice", s.Advice))
	}
	if s.Fleet != nil {
		lines = append(lines, words.FleetRecord(*s.Fleet)...)
	}
	return strings.Join(lines, "\n")
}

// howToDecide says where to decide: the tenant's decisions on the dashboard.
func (c *Client) howToDecide(words *texts.Texts, tenantID string) []string {
	where := words.T("mail.decide_with_msp")
	if c.cfg.DashboardURL != "" {
		where = words.T("mail.decide", "URL", c.cfg.DashboardURL+"/tenants/"+tenantID+"#decisions")
	}
	return []string{where, words.T("mail.choices")}
}

func (c *Client) send(ctx context.Context, to []string, subject string, words *texts.Texts, body []string, key string) error {
	text := strings.Join(append(body, "", "— "+words.T("mail.signature")), "\n")
	if err := c.sender.SendMailOnce(ctx, c.cfg.From, graph.Mail{To: to, Subject: subject, Body: text, Key: key}); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}
