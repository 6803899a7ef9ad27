package slack_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/slack"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

const fuzzSigningSecret = "fuzz-signing-secret"

// decisionRecorder stands in for the workflows: it keeps what reached them.
type decisionRecorder struct {
	mu        sync.Mutex
	decisions []lifecycle.CustomerDecision
}

func (d *decisionRecorder) SendDecision(_ context.Context, _, _ string, decision lifecycle.CustomerDecision) (lifecycle.MessageResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.decisions = append(d.decisions, decision)
	return lifecycle.MessageResult{Stage: lifecycle.StageRFC}, nil
}

// FuzzInteractions: whatever arrives, signed or not, the handler answers
// without panicking; nothing unsigned reaches a workflow, and a signed
// decision reaches one only from an approver.
func FuzzInteractions(f *testing.F) {
	click := `{"type":"block_actions","user":{"id":"U0CUSTOMER1"},"channel":{"id":"C0CONTOSO"},"container":{"message_ts":"1.1"},` +
		`"actions":[{"action_id":"scoreflow_approve","value":"scoreflow/contoso/AdminMFAV2","action_ts":"2.2"}]}`
	submit := `{"type":"view_submission","user":{"id":"U0CUSTOMER1"},"view":{"id":"V1","callback_id":"scoreflow_risk_reason",` +
		`"private_metadata":"scoreflow/contoso/AdminMFAV2|C0CONTOSO|1.1","state":{"values":{"reason":{"reason_input":{"value":"legacy"}}}}}}`
	for _, payload := range []string{click, submit, `{"type":"block_actions","actions":[]}`, `{`, `{"type":"shortcut"}`} {
		f.Add([]byte(url.Values{"payload": {payload}}.Encode()), true)
		f.Add([]byte(url.Values{"payload": {payload}}.Encode()), false)
	}
	f.Add([]byte("payload=%ZZ"), true)
	f.Add([]byte{0xff, 0x00, '&', '='}, true)

	_, chat := newSlack(f, "xoxb-scoreflow")
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		recorder := &decisionRecorder{}
		handler := &slack.InteractionHandler{
			SigningSecret: fuzzSigningSecret, Decisions: recorder, Chat: chat, Logger: zerolog.Nop(),
			Approvers: map[string]map[string]bool{"contoso": {"U0CUSTOMER1": true}},
		}
		req := httptest.NewRequest(http.MethodPost, "/slack/interactions", bytes.NewReader(body))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		if signed {
			mac := hmac.New(sha256.New, []byte(fuzzSigningSecret))
			mac.Write([]byte("v0:" + ts + ":" + string(body)))
			req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		} else {
			req.Header.Set("X-Slack-Signature", "v0=00")
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if !signed && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("an unsigned request got %d", rec.Code)
		}
		for _, d := range recorder.decisions {
			if !signed || d.By.ID != "U0CUSTOMER1" {
				t.Fatalf("a decision by %q reached a workflow (signed %v)", d.By.ID, signed)
			}
		}
	})
}
