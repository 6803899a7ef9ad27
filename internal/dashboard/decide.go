package dashboard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// Deciding on the dashboard: a tenant's approvers named by their Entra
// object id (config's entra:<object id>) take the decisions Slack's buttons
// offer, through the same Update and the workflow's same validator. Each
// form carries a token of its own, which becomes the decision's event id:
// a form sent twice is one decision (Temporal takes an update id once).

// Decisions delivers a customer's decision to its recommendation's workflow
// and reads where one stands (internal/delivery's Client).
type Decisions interface {
	SendDecision(ctx context.Context, tenantID, controlID string, d lifecycle.CustomerDecision) (lifecycle.MessageResult, error)
	State(ctx context.Context, workflowID, runID string) (lifecycle.RecommendationState, error)
}

// The form's fields.
const (
	fieldDecision = "decision"
	fieldReason   = "reason"
	fieldToken    = "token"
)

// maxReason bounds an accepted risk's reason: it goes to Graph's comment
// and the audit trail, which take a paragraph, not a document.
const maxReason = 2000

var formToken = regexp.MustCompile(`^[0-9a-f]{32}$`)

// decideForm is what the forms of one recommendation's decision post to.
type decideForm struct{ ControlID, Action string }

// newFormToken is a form's token: 128 random bits.
func newFormToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on the platforms Go supports
	return hex.EncodeToString(b)
}

// approves reports whether the viewer may decide for the tenant: a person of
// the tenant's own directory whom its approvers name.
func (v Viewer) approves(t config.Tenant) bool {
	return v.DirectoryID == t.AzureTenantID && t.ApprovesInEntra(v.ObjectID)
}

// decide takes an approver's decision (POST /tenants/{tenant}/decisions/{control})
// and goes back to the tenant's page, which says what became of it.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, v Viewer, t config.Tenant) {
	words := texts.For(t.Language)
	if !v.approves(t) {
		s.refuseDecision(w, r, v, t, http.StatusForbidden, words.T("dashboard.decide.not_approver"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	decision := lifecycle.Decision(r.PostFormValue(fieldDecision))
	reason := strings.TrimSpace(r.PostFormValue(fieldReason))
	token := r.PostFormValue(fieldToken)
	switch {
	case !decision.Valid() || !formToken.MatchString(token):
		s.refuseDecision(w, r, v, t, http.StatusBadRequest, words.T("dashboard.decide.malformed"))
		return
	case decision.NeedsReason() && reason == "":
		s.refuseDecision(w, r, v, t, http.StatusBadRequest, words.T("dashboard.decide.reason_required"))
		return
	case utf8.RuneCountInString(reason) > maxReason:
		s.refuseDecision(w, r, v, t, http.StatusBadRequest, words.T("dashboard.decide.reason_too_long", "Max", maxReason))
		return
	case s.decisions == nil:
		s.refuseDecision(w, r, v, t, http.StatusServiceUnavailable, words.T("dashboard.decide.off"))
		return
	}
	if !decision.NeedsReason() {
		reason = ""
	}
	controlID := r.PathValue("control")
	d := lifecycle.CustomerDecision{EventID: "dashboard-" + token, Decision: decision, Reason: reason,
		By: lifecycle.Person{ID: v.ObjectID, Name: v.Name}, Source: lifecycle.SourceDashboard, From: s.askedIn(r.Context(), t, controlID)}
	_, err := s.decisions.SendDecision(r.Context(), t.ID, controlID, d)
	var notice string
	switch {
	case errors.Is(err, lifecycle.ErrNoWorkflow):
		s.notFound(w, r) // no such recommendation: as for any other unknown page
		return
	case errors.Is(err, lifecycle.ErrRefused):
		notice = s.takenElsewhere(r.Context(), t, controlID)
	case err != nil:
		logging.Write(s.logger.Warn().Err(err).Str("tenant", t.ID).Str("control", controlID), "log.dashboard.decision_not_delivered")
		s.refuseDecision(w, r, v, t, http.StatusServiceUnavailable, words.T("dashboard.decide.try_again"))
		return
	default:
		notice = words.T("dashboard.decide.recorded", "Taken", words.T(takenTexts[decision]))
	}
	s.sessions.Put(r.Context(), keyNotice, notice)
	http.Redirect(w, r, "/tenants/"+t.ID+"#decisions", http.StatusSeeOther)
}

// takenTexts say what each decision did, once taken.
var takenTexts = map[lifecycle.Decision]string{
	lifecycle.DecisionApprove:     "dashboard.taken.approve",
	lifecycle.DecisionAlternative: "dashboard.taken.alternative",
	lifecycle.DecisionAcceptRisk:  "dashboard.taken.accept_risk",
}

// keyNotice is the session's key of what the next page says first: what
// became of a decision just sent.
const keyNotice = "notice"

// askedIn is the Slack message the decision was last asked in, if the store
// knows one: the workflow updates it to show the decision. A store that does
// not answer costs the message its update, never the decision.
func (s *Server) askedIn(ctx context.Context, t config.Tenant, controlID string) *lifecycle.MessageRef {
	messages, err := s.data.DecisionMessages(ctx, t.ID)
	if err != nil {
		logging.Write(s.logger.Warn().Err(err).Str("tenant", t.ID), "log.dashboard.request_failed")
		return nil
	}
	if m, ok := messages[controlID]; ok {
		return &m
	}
	return nil
}

// takenElsewhere says who decided a recommendation that no longer awaits a
// decision, where and when, as its workflow recorded it.
func (s *Server) takenElsewhere(ctx context.Context, t config.Tenant, controlID string) string {
	words := texts.For(t.Language)
	state, err := s.decisions.State(ctx, lifecycle.RecommendationWorkflowID(t.ID, controlID), "")
	if err != nil {
		return words.T("dashboard.decide.no_longer_open")
	}
	for i := len(state.Transitions) - 1; i >= 0; i-- {
		step := state.Transitions[i]
		if step.From == lifecycle.StageAwaitingDecision && step.To != lifecycle.StageAwaitingDecision && whereTaken(step.Source) != "" {
			return words.T("dashboard.decide.taken_elsewhere", "By", step.By.String(), "Where", words.T(whereTaken(step.Source)),
				"Day", words.Date(step.At))
		}
	}
	return words.T("dashboard.decide.no_longer_open")
}

// whereTaken names the place a customer's decision came through; "": the
// step was no decision (Microsoft found the control resolved meanwhile).
func whereTaken(source lifecycle.Source) string {
	switch source {
	case lifecycle.SourceSlack:
		return "dashboard.where.slack"
	case lifecycle.SourceDashboard:
		return "dashboard.where.dashboard"
	case lifecycle.SourceOperator:
		return "dashboard.where.msp"
	}
	return ""
}

// refuseDecision answers a decision that was not taken, saying why, with
// the way back to the tenant's page.
func (s *Server) refuseDecision(w http.ResponseWriter, r *http.Request, v Viewer, t config.Tenant, status int, message string) {
	s.render(w, r, status, "decision_refused", pageData{Title: t.Name, Viewer: &v, Language: t.Language, Message: message,
		Content: t})
}
