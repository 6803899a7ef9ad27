package jira

import (
	"fmt"
	"strings"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// What the tickets say, in the MSP's language (config msp_language): the
// words come from the texts package's catalogues; Microsoft's texts, the
// assessment's reasons, people's comments and the audit trail's reasons
// are passed through as they are.

func (c *Client) recommendationSummary(req lifecycle.TicketRequest) string {
	if req.Regression {
		return c.texts.T("jira.summary.regression", "Control", req.ControlTitle)
	}
	return c.texts.T("jira.summary.recommendation", "Control", req.ControlTitle)
}

// recommendationDescription is everything a specialist needs to triage
// (docs/lifecycle.md, triage), ending with the statuses that give a verdict.
func (c *Client) recommendationDescription(req lifecycle.TicketRequest) string {
	t, f, p := c.texts, req.Facts, req.PreAssessment
	var b strings.Builder
	fmt.Fprintf(&b, "h2. %s\n\n", req.ControlTitle)
	if req.Regression {
		fmt.Fprintf(&b, "{panel:title=%s}%s{panel}\n\n", t.T("jira.regression.title"), t.T("jira.regression.body",
			"Run", req.PreviousRunID, "TenantLabel", TenantLabel(req.TenantID), "ControlLabel", ControlLabel(req.ControlID)))
	}
	row := func(id, value string) { fmt.Fprintf(&b, "||%s|%s|\n", t.T(id), value) }
	row("jira.field.points", t.Number(f.Score, 2)+" / "+t.Number(f.MaxScore, 0))
	row("jira.field.impact", t.T("jira.field.impact_value", "Impact", t.Number(f.ScoreImpact(), 2)))
	row("jira.field.category", f.Category)
	row("jira.field.product", f.Service)
	row("jira.field.tier", f.Tier)
	row("jira.field.user_impact", f.UserImpact)
	row("jira.field.cost", f.ImplementationCost)
	row("jira.field.threats", strings.Join(f.Threats, ", "))
	row("jira.field.action", f.ActionURL)
	b.WriteString("\n")
	if f.Remediation != "" {
		fmt.Fprintf(&b, "h3. %s\n{noformat}%s{noformat}\n\n", t.T("jira.remediation"), f.Remediation)
	}
	fmt.Fprintf(&b, "h3. %s\n* %s\n* %s\n", t.T("jira.preassessment"),
		t.T("jira.preassessment.user_impact", "Impact", p.UserImpact),
		t.T("jira.preassessment.financial", "Financial", c.yesNo(p.FinancialImpact)))
	if len(p.MissingLicences) > 0 {
		fmt.Fprintf(&b, "* %s\n", t.T("jira.preassessment.licences", "Licences", strings.Join(p.MissingLicences, "; ")))
	}
	fmt.Fprintf(&b, "* %s\n", t.T("jira.preassessment.critical", "Critical", c.yesNo(p.SuggestCritical)))
	for _, r := range p.Reasons {
		fmt.Fprintf(&b, "** %s\n", r)
	}
	if req.Fleet != nil {
		if lines := t.FleetRecord(*req.Fleet); len(lines) > 0 {
			fmt.Fprintf(&b, "\nh3. %s\n%s\n", t.T("jira.fleet"), strings.Join(lines, "\n"))
		}
	}
	var next []string
	for _, v := range lifecycle.VerdictsOf(lifecycle.StageTriage) {
		next = append(next, "*"+c.cfg.Statuses[v]+"*")
	}
	fmt.Fprintf(&b, "\nh3. %s\n%s\n\n%s", t.T("jira.next.heading"),
		t.T("jira.next.triage", "Statuses", strings.Join(next[:len(next)-1], ", "), "Last", next[len(next)-1]),
		t.T("jira.workflow", "Workflow", req.WorkflowID))
	return b.String()
}

func (c *Client) rfcDescription(req lifecycle.RFCRequest) string {
	t := c.texts
	what := "jira.rfc.implement"
	if req.Alternate {
		what = "jira.rfc.implement_alternative"
	}
	return t.T(what, "Control", req.ControlTitle, "ControlID", req.ControlID) + "\n\n" +
		t.T("jira.rfc.approved", "By", req.ApprovedBy.String(), "Ticket", req.TicketKey) + "\n\n" +
		t.T("jira.workflow", "Workflow", req.WorkflowID)
}

// noteText is a note's text, in the MSP's language.
func (c *Client) noteText(n lifecycle.TicketNote) string {
	t := c.texts
	switch n.Kind {
	case lifecycle.NoteStateByHand:
		return t.T("jira.note.state_by_hand", "State", n.State, "ControlID", n.ControlID, "Refused", n.Write.Refused,
			"Where", c.portal(n.Write), "Comment", n.Comment)
	case lifecycle.NoteWriteDidNotStick:
		return t.T("jira.note.write_did_not_stick", "State", n.State, "ControlID", n.ControlID, "Comment", n.Comment,
			"After", t.Period(n.After), "Seen", n.SeenState, "SeenComment", n.SeenComment)
	case lifecycle.NoteDetectionOverdue:
		return t.T("jira.note.detection_overdue", "RFC", n.RFCKey, "After", t.Period(n.After))
	case lifecycle.NoteRiskReview:
		return t.T("jira.note.risk_review", "After", t.Period(n.After))
	case lifecycle.NoteRFCCancelled:
		return t.T("jira.note.rfc_cancelled", "RFC", n.RFCKey, "By", n.By.String())
	}
	return string(n.Kind)
}

// portal says where in Microsoft's portal to record a state by hand.
func (c *Client) portal(w lifecycle.StateWrite) string {
	switch w.Portal {
	case lifecycle.PortalSecureScore:
		return c.texts.T("jira.portal.secure_score")
	case lifecycle.PortalVulnerabilityManagement:
		return c.texts.T("jira.portal.vulnerability_management")
	}
	return string(w.Portal)
}

// closureText says why scoreflow closed a ticket.
func (c *Client) closureText(closure lifecycle.TicketClosure) string {
	t := c.texts
	why := t.Stage(closure.Stage) + ": " + closure.Outcome
	if closure.Stage == lifecycle.StageRiskAccepted && !closure.ReviewAt.IsZero() {
		why = t.T("jira.closed.risk_accepted", "By", closure.AcceptedBy.String(), "Reason", closure.AcceptReason,
			"ReviewAt", t.Date(closure.ReviewAt))
	}
	return t.T("jira.closed", "Reason", why)
}

func (c *Client) yesNo(v bool) string {
	if v {
		return c.texts.T("msp.yes")
	}
	return c.texts.T("msp.no")
}
