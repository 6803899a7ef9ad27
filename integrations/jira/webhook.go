package jira

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/replay"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// MaxWebhookBody bounds a webhook's body; Jira's issue_updated events are far smaller.
const MaxWebhookBody = 1 << 20

// WebhookHandler serves POST /jira/webhook.
type WebhookHandler struct {
	Secret []byte
	Router *Router
	Logger zerolog.Logger

	// Handled are the bodies handled within maxWebhookAge, by their
	// signature: the signature was checked, so its hex is the HMAC's in
	// either case, and lower case is its one spelling. With its Shared set,
	// those every worker handled.
	Handled replay.Cache
}

// maxWebhookAge bounds how old a delivery may be, by the timestamp Jira
// signs in its body. Jira retries a delivery that failed within minutes; an
// older body is a replay, and the handler remembers bodies only this long.
const maxWebhookAge = time.Hour

// issueUpdated is the part of Jira's jira:issue_updated payload scoreflow reads.
type issueUpdated struct {
	Timestamp    int64  `json:"timestamp"` // Unix milliseconds
	WebhookEvent string `json:"webhookEvent"`
	Issue        struct {
		Key string `json:"key"`
	} `json:"issue"`
	User struct {
		AccountID   string `json:"accountId"`
		DisplayName string `json:"displayName"`
	} `json:"user"`
}

func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	// The signature is checked on the raw bytes, before anything is parsed.
	if !h.validSignature(r.Header.Get("X-Hub-Signature"), body) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	var event issueUpdated
	if err := json.Unmarshal(body, &event); err != nil || event.WebhookEvent == "" {
		http.Error(w, "malformed webhook payload", http.StatusBadRequest)
		return
	}
	if event.WebhookEvent != "jira:issue_updated" || event.Issue.Key == "" {
		w.WriteHeader(http.StatusNoContent) // not an event scoreflow acts on
		return
	}
	delivery := r.Header.Get("X-Atlassian-Webhook-Identifier")
	if delivery == "" {
		http.Error(w, "missing X-Atlassian-Webhook-Identifier", http.StatusBadRequest)
		return
	}
	sent := time.UnixMilli(event.Timestamp)
	if now := time.Now(); event.Timestamp == 0 || now.Sub(sent) > maxWebhookAge || sent.Sub(now) > maxWebhookAge {
		http.Error(w, "stale webhook: its signed timestamp is not within the last hour", http.StatusUnauthorized)
		return
	}
	// A delivery is known by what Jira signed, not by its identifier,
	// which is not signed: a body sent again under a new identifier is the
	// same delivery.
	signed := r.Header.Get("X-Hub-Signature")
	seen, sharedErr := h.Handled.Seen(r.Context(), strings.ToLower(signed), 2*maxWebhookAge)
	if sharedErr != nil {
		logging.Write(h.Logger.Warn().Err(sharedErr), "log.replay.unshared")
	}
	if seen {
		w.WriteHeader(http.StatusNoContent) // a redelivery: already handled
		return
	}
	by := lifecycle.Person{ID: event.User.AccountID, Name: event.User.DisplayName}
	outcome, err := h.Router.Route(r.Context(), event.Issue.Key, "jira-webhook-"+delivery, by, lifecycle.SourceJiraWebhook)
	if err != nil {
		if err := h.Handled.Forget(context.WithoutCancel(r.Context()), strings.ToLower(signed)); err != nil {
			logging.Write(h.Logger.Warn().Err(err), "log.replay.unshared")
		}
		logging.Write(h.Logger.Warn().Err(err).Str("ticket", event.Issue.Key), "log.jira.webhook_not_handled")
		http.Error(w, "temporarily unable to handle the event", http.StatusServiceUnavailable)
		return
	}
	logging.Write(h.Logger.Info().Str("ticket", event.Issue.Key).Str("by", by.Name).Str("outcome", string(outcome)), "log.jira.webhook")
	w.WriteHeader(http.StatusNoContent)
}

// validSignature checks X-Hub-Signature: sha256=<hex HMAC of the raw body>, in constant time.
func (h *WebhookHandler) validSignature(header string, body []byte) bool {
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(h.Secret) == 0 {
		return false
	}
	given, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write(body)
	return hmac.Equal(given, mac.Sum(nil))
}
