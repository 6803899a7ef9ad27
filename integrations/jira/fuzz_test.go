package jira_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// FuzzWebhook: whatever arrives, signed or not, the handler answers without
// panicking; nothing unsigned reaches a workflow, and a signed event can only
// deliver the verdict of the ticket's real status, read back from Jira.
func FuzzWebhook(f *testing.F) {
	site, client := newJira(f)
	key, err := client.OpenRecommendationTicket(context.Background(), request)
	if err != nil {
		f.Fatal(err)
	}
	if err := site.Move(key, "Needs Change"); err != nil {
		f.Fatal(err)
	}
	for _, body := range []string{
		`{"timestamp":` + nowMillis() + `,"webhookEvent":"jira:issue_updated","issue":{"key":"` + key +
			`","fields":{"status":{"name":"Implemented"}}},"user":{"displayName":"Jane"}}`,
		`{"timestamp":` + nowMillis() + `,"webhookEvent":"jira:issue_updated","issue":{"key":"CON-999"}}`,
		`{"webhookEvent":"jira:issue_created","issue":{"key":"` + key + `"}}`,
		`{"webhookEvent":"jira:issue_updated","issue":{"key":""}}`,
		`{`, "\xff\xfe",
	} {
		f.Add([]byte(body), true, "delivery-1")
		f.Add([]byte(body), false, "delivery-1")
	}
	f.Fuzz(func(t *testing.T, body []byte, signed bool, identifier string) {
		sent := &recordingVerdicts{}
		router := &jira.Router{Tickets: client, Verdicts: sent, Tenants: map[string]bool{"contoso": true},
			Statuses: jira.Statuses{"Needs Change": lifecycle.VerdictNeedsChange, "Implemented": lifecycle.VerdictRFCImplemented}}
		handler := &jira.WebhookHandler{Secret: []byte(webhookSecret), Router: router, Logger: zerolog.Nop()}
		req := httptest.NewRequest(http.MethodPost, "/jira/webhook", bytes.NewReader(body))
		signature := "sha256=00"
		if signed {
			signature = sign(body, webhookSecret)
		}
		req.Header.Set("X-Hub-Signature", signature)
		req.Header.Set("X-Atlassian-Webhook-Identifier", identifier)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if !signed && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("an unsigned request got %d", rec.Code)
		}
		sent.mu.Lock()
		defer sent.mu.Unlock()
		for _, v := range sent.verdicts {
			if !signed || v.Verdict != lifecycle.VerdictNeedsChange {
				t.Fatalf("a fuzzed request delivered %q (signed %v); the ticket's status is Needs Change", v.Verdict, signed)
			}
		}
	})
}
