package slack_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/slack"
)

// A replay is the same signed request, however its signature is spelled:
// the hex of an HMAC verifies in upper case too, and must not pass as new.
func TestAReplayWithTheSignatureInUpperCaseIsRefused(t *testing.T) {
	_, chat := newSlack(t, "xoxb-scoreflow")
	recorder := &decisionRecorder{}
	handler := &slack.InteractionHandler{
		SigningSecret: fuzzSigningSecret, Decisions: recorder, Chat: chat, Logger: zerolog.Nop(),
		Approvers: map[string]map[string]bool{"contoso": {"U0CUSTOMER1": true}},
	}
	click := `{"type":"block_actions","user":{"id":"U0CUSTOMER1"},"channel":{"id":"C0CONTOSO"},"container":{"message_ts":"1.1"},` +
		`"actions":[{"type":"button","block_id":"scoreflow_decision","action_id":"scoreflow_approve","value":"scoreflow/contoso/AdminMFAV2","action_ts":"2.2"}]}`
	body := []byte(url.Values{"payload": {click}}.Encode())
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(fuzzSigningSecret))
	mac.Write([]byte("v0:" + ts + ":" + string(body)))
	signature := hex.EncodeToString(mac.Sum(nil))

	var lastBody string
	send := func(spelled string) int {
		req := httptest.NewRequest(http.MethodPost, "/slack/interactions", bytes.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+spelled)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		lastBody = rec.Body.String()
		return rec.Code
	}
	if code := send(signature); code != http.StatusOK {
		t.Fatalf("the click answered %d: %s", code, lastBody)
	}
	if code := send(strings.ToUpper(signature)); code != http.StatusUnauthorized {
		t.Errorf("the same click with its signature in upper case answered %d, want 401", code)
	}
	if len(recorder.decisions) != 1 {
		t.Errorf("%d decisions reached the workflow, want 1", len(recorder.decisions))
	}
}
