package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/scoreflow/scoreflow/integrations/replay"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// MaxInteractionBody bounds an interaction request; Slack's payloads are a few KB.
const MaxInteractionBody = 256 << 10

// DecisionSender hands a customer's decision to the recommendation's workflow.
type DecisionSender interface {
	SendDecision(ctx context.Context, tenantID, controlID string, d lifecycle.CustomerDecision) (lifecycle.MessageResult, error)
}

// InteractionHandler serves POST /slack/interactions: button clicks and the
// accept-risk modal. It answers within Slack's 3 seconds: the decision is
// handed to the workflow, which carries it out in its own time.
type InteractionHandler struct {
	SigningSecret string
	Approvers     map[string]map[string]bool // tenant id to approving Slack user ids
	Decisions     DecisionSender
	Chat          *Client // ephemeral answers and the modal
	Logger        zerolog.Logger

	// Handled are the requests of the last minutes, by what they signed, to
	// refuse replays; with its Shared set, those every worker handled.
	Handled replay.Cache
}

func (h *InteractionHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInteractionBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	// Signature and timestamp (5-minute window) first, on the raw bytes.
	verifier, err := slack.NewSecretsVerifier(r.Header, h.SigningSecret)
	if err == nil {
		_, _ = verifier.Write(body)
		err = verifier.Ensure()
	}
	if err != nil {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	// Beyond Slack's 5-minute window a replay fails the signature's check anyway.
	seen, sharedErr := h.Handled.Seen(r.Context(), signedContent(r.Header.Get("X-Slack-Request-Timestamp"), body), 6*time.Minute)
	if sharedErr != nil {
		logging.Write(h.Logger.Warn().Err(sharedErr), "log.replay.unshared")
	}
	if seen {
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return
	}
	form, err := url.ParseQuery(string(body))
	var callback slack.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &callback)
	}
	if err != nil || callback.Type == "" {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	switch callback.Type {
	case slack.InteractionTypeBlockActions:
		h.onButton(w, r.Context(), callback)
	case slack.InteractionTypeViewSubmission:
		h.onRiskReason(w, r.Context(), callback)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (h *InteractionHandler) onButton(w http.ResponseWriter, ctx context.Context, cb slack.InteractionCallback) {
	if len(cb.ActionCallback.BlockActions) != 1 {
		http.Error(w, "expected one action", http.StatusBadRequest)
		return
	}
	action := cb.ActionCallback.BlockActions[0]
	tenantID, controlID, err := lifecycle.ParseRecommendationWorkflowID(action.Value)
	decision, known := decisionOf(action.ActionID)
	if err != nil || !known {
		http.Error(w, "not a scoreflow decision", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	if !h.Approvers[tenantID][cb.User.ID] {
		h.tell(ctx, cb, h.Chat.texts(tenantID).T("slack.answer.not_approver"))
		return
	}
	if decision.NeedsReason() { // accepting a risk: the modal asks why
		// The trigger id expires after 3 seconds: open the modal now, before anything slower.
		if err := h.Chat.OpenRiskReason(ctx, tenantID, cb.TriggerID, action.Value+"|"+cb.Channel.ID+"|"+cb.Container.MessageTs); err != nil {
			logging.Write(h.Logger.Warn().Err(err).Str("workflow", action.Value), "log.slack.modal_failed")
		}
		return
	}
	h.decide(ctx, cb, tenantID, controlID, lifecycle.CustomerDecision{
		EventID: "slack-" + action.ActionTs + "-" + cb.User.ID, Decision: decision,
		By: lifecycle.Person{ID: cb.User.ID, Name: cb.User.Name}, Source: lifecycle.SourceSlack,
		From: &lifecycle.MessageRef{Channel: cb.Channel.ID, TS: cb.Container.MessageTs},
	})
}

func (h *InteractionHandler) onRiskReason(w http.ResponseWriter, ctx context.Context, cb slack.InteractionCallback) {
	if cb.View.CallbackID != RiskReasonModal {
		w.WriteHeader(http.StatusOK)
		return
	}
	// private_metadata: the workflow ID, then the channel and message the click came from.
	parts := strings.SplitN(cb.View.PrivateMetadata, "|", 3)
	tenantID, controlID, err := lifecycle.ParseRecommendationWorkflowID(parts[0])
	if err != nil {
		http.Error(w, "not a scoreflow modal", http.StatusBadRequest)
		return
	}
	var from *lifecycle.MessageRef
	if len(parts) == 3 && parts[1] != "" && parts[2] != "" {
		from = &lifecycle.MessageRef{Channel: parts[1], TS: parts[2]}
	}
	var reason string
	if cb.View.State != nil { // absent from a malformed submission
		reason = cb.View.State.Values[ReasonBlock][ReasonInput].Value
	}
	words := h.Chat.texts(tenantID)
	switch {
	case reason == "":
		modalError(w, words.T("slack.answer.reason_required"))
		return
	case !h.Approvers[tenantID][cb.User.ID]:
		modalError(w, words.T("slack.answer.not_approver_risk"))
		return
	}
	_, err = h.Decisions.SendDecision(ctx, tenantID, controlID, lifecycle.CustomerDecision{
		EventID: "slack-view-" + cb.View.ID, Decision: lifecycle.DecisionAcceptRisk, Reason: reason,
		By: lifecycle.Person{ID: cb.User.ID, Name: cb.User.Name}, Source: lifecycle.SourceSlack, From: from,
	})
	switch {
	case errors.Is(err, lifecycle.ErrRefused), errors.Is(err, lifecycle.ErrNoWorkflow):
		modalError(w, words.T("slack.answer.no_longer_open"))
	case err != nil:
		logging.Write(h.Logger.Warn().Err(err), "log.slack.decision_not_delivered")
		modalError(w, words.T("slack.answer.try_again"))
	default:
		w.WriteHeader(http.StatusOK) // closes the modal
	}
}

func (h *InteractionHandler) decide(ctx context.Context, cb slack.InteractionCallback, tenantID, controlID string, d lifecycle.CustomerDecision) {
	_, err := h.Decisions.SendDecision(ctx, tenantID, controlID, d)
	words := h.Chat.texts(tenantID)
	switch {
	case errors.Is(err, lifecycle.ErrRefused), errors.Is(err, lifecycle.ErrNoWorkflow):
		h.tell(ctx, cb, words.T("slack.answer.no_longer_open"))
	case err != nil:
		logging.Write(h.Logger.Warn().Err(err), "log.slack.decision_not_delivered")
		h.tell(ctx, cb, words.T("slack.answer.try_again"))
	}
}

// tell answers the clicking user only (an ephemeral message).
func (h *InteractionHandler) tell(ctx context.Context, cb slack.InteractionCallback, text string) {
	if _, err := h.Chat.api.PostEphemeralContext(ctx, cb.Channel.ID, cb.User.ID, slack.MsgOptionText(text, false)); err != nil {
		logging.Write(h.Logger.Warn().Err(err), "log.slack.answer_failed")
	}
}

func modalError(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"response_action": "errors", "errors": map[string]string{ReasonBlock: message}})
}

// signedContent names what Slack signed (its timestamp and the body), not
// how the signature is spelled: the same request with its signature's hex
// in upper case verifies too, and must count as the same request.
func signedContent(timestamp string, body []byte) string {
	sum := sha256.Sum256(append([]byte("v0:"+timestamp+":"), body...))
	return hex.EncodeToString(sum[:])
}

// OpenRiskReason opens the modal asking why the risk is accepted, in the
// tenant's language; metadata comes back with the submitted reason.
func (c *Client) OpenRiskReason(ctx context.Context, tenantID, triggerID, metadata string) error {
	words := c.texts(tenantID)
	input := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, words.T("slack.modal.reason_hint"), false, false), ReasonInput)
	input.Multiline = true
	view := slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      RiskReasonModal,
		PrivateMetadata: metadata,
		Title:           slack.NewTextBlockObject(slack.PlainTextType, words.T("slack.modal.title"), false, false),
		Submit:          slack.NewTextBlockObject(slack.PlainTextType, words.T("slack.modal.submit"), false, false),
		Close:           slack.NewTextBlockObject(slack.PlainTextType, words.T("slack.modal.cancel"), false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock(ReasonBlock, slack.NewTextBlockObject(slack.PlainTextType, words.T("slack.modal.reason"), false, false), nil, input),
		}},
	}
	if _, err := c.api.OpenViewContext(ctx, triggerID, view); err != nil {
		return fmt.Errorf("slack: opening the modal: %w", err)
	}
	return nil
}
