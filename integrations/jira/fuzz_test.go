package jira_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/lifecycle"
)

// FuzzWebhook: whatever arrives, the handler answers without panicking, and
// nothing unsigned reaches a workflow.
func FuzzWebhook(f *testing.F) {
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","issue":{"key":"CON-1"}}`), "sha256=00", "id-1")
	f.Add([]byte(`{`), "", "")
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","issue":{"key":""}}`), "sha256=", "x")
	f.Add([]byte{0xff, 0xfe}, "md5=abc", "y")
	f.Fuzz(func(t *testing.T, body []byte, signature, identifier string) {
		messenger := &recordingMessenger{}
		router := &jira.Router{Tickets: nil, Messenger: messenger, Tenants: map[string]bool{"contoso": true},
			Statuses: jira.Statuses{"Needs Change": lifecycle.VerdictNeedsChange}}
		handler := &jira.WebhookHandler{Secret: []byte(webhookSecret), Router: router, Logger: zerolog.Nop()}
		req := httptest.NewRequest(http.MethodPost, "/jira/webhook", bytes.NewReader(body))
		req.Header.Set("X-Hub-Signature", signature)
		req.Header.Set("X-Atlassian-Webhook-Identifier", identifier)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if signature != sign(body, webhookSecret) && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("an unsigned request got %d", rec.Code)
		}
		if messenger.count() != 0 {
			t.Fatal("a fuzzed request reached a workflow")
		}
	})
}
