package jira_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// recordingVerdicts stands in for Temporal and records what would be delivered.
type recordingVerdicts struct {
	mu       sync.Mutex
	verdicts []lifecycle.SpecialistVerdict
}

func (m *recordingVerdicts) SendVerdict(_ context.Context, tenantID, controlID string, v lifecycle.SpecialistVerdict) (lifecycle.MessageResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.verdicts = append(m.verdicts, v)
	return lifecycle.MessageResult{Stage: lifecycle.StageAssessment}, nil
}

func (m *recordingVerdicts) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.verdicts)
}

const webhookSecret = "jira-webhook-secret"

// newRouter routes Contoso's tickets to sent, with two statuses mapped to verdicts.
func newRouter(client *jira.Client, sent *recordingVerdicts) *jira.Router {
	return &jira.Router{Tickets: client, Verdicts: sent, Tenants: map[string]bool{"contoso": true},
		Statuses: jira.Statuses{"Needs Change": lifecycle.VerdictNeedsChange, "Implemented": lifecycle.VerdictRFCImplemented}}
}

func webhookSetup(t *testing.T) (*sim.Server, *jira.Client, *recordingVerdicts, string, *httptest.Server) {
	site, client := newJira(t)
	key, err := client.OpenRecommendationTicket(context.Background(), request)
	if err != nil {
		t.Fatal(err)
	}
	sent := &recordingVerdicts{}
	gateway := httptest.NewServer(&jira.WebhookHandler{Secret: []byte(webhookSecret), Router: newRouter(client, sent), Logger: zerolog.Nop()})
	t.Cleanup(gateway.Close)
	site.SetWebhook(gateway.URL, webhookSecret)
	return site, client, sent, key, gateway
}

func TestSignedWebhookSendsTheTicketsVerdictOnce(t *testing.T) {
	site, _, sent, key, _ := webhookSetup(t)
	jane := sim.User{AccountID: "557058:jane", DisplayName: "Jane Specialist"}
	if status, err := site.MoveAs(key, "Needs Change", jane); err != nil || status != http.StatusNoContent {
		t.Fatalf("delivery: %d, %v", status, err)
	}
	if sent.count() != 1 {
		t.Fatalf("verdicts sent = %d", sent.count())
	}
	v := sent.verdicts[0]
	if v.Verdict != lifecycle.VerdictNeedsChange || v.TicketKey != key || v.By.ID != "557058:jane" || v.By.Name != "Jane Specialist" ||
		v.Source != lifecycle.SourceJiraWebhook || !strings.HasPrefix(v.EventID, "jira-webhook-") {
		t.Errorf("verdict = %+v", v)
	}
	if status, _ := site.Redeliver(); status != http.StatusNoContent || sent.count() != 1 {
		t.Errorf("a redelivery: status %d, verdicts %d", status, sent.count())
	}
	// A status that means nothing for a recommendation ticket, and an RFC status on it: ignored.
	site.MoveAs(key, "To Do", jane)
	site.MoveAs(key, "Implemented", jane)
	if sent.count() != 1 {
		t.Errorf("statuses without a verdict for this ticket were sent: %+v", sent.verdicts)
	}
}

func TestForgedMalformedOversizedAndForeignWebhooksChangeNothing(t *testing.T) {
	site, _, sent, key, gateway := webhookSetup(t)
	body := []byte(`{"timestamp":` + nowMillis() + `,"webhookEvent":"jira:issue_updated","issue":{"key":"` + key + `"},"user":{"accountId":"x"}}`)
	post := poster(t, gateway.URL)
	site.Move(key, "Needs Change")
	cases := []struct {
		name      string
		body      []byte
		signature string
		want      int
	}{
		{"unsigned", body, "", http.StatusUnauthorized},
		{"signed with another secret", body, sign(body, "guess"), http.StatusUnauthorized},
		{"signature not hex", body, "sha256=zz", http.StatusUnauthorized},
		{"signed, but the body was changed", append(body[:len(body)-1:len(body)-1], ' ', '}'), sign(body, webhookSecret), http.StatusUnauthorized},
		{"signed but malformed", []byte("{not json"), sign([]byte("{not json"), webhookSecret), http.StatusBadRequest},
		{"oversized", bytes.Repeat([]byte("a"), jira.MaxWebhookBody+1), sign(bytes.Repeat([]byte("a"), jira.MaxWebhookBody+1), webhookSecret), http.StatusRequestEntityTooLarge},
	}
	for i, tc := range cases {
		if got := post(tc.body, tc.signature, "forged-"+string(rune('a'+i))); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
	// A ticket Jira cannot find is acknowledged, so Jira does not redeliver it, and ignored.
	foreign := []byte(`{"timestamp":` + nowMillis() + `,"webhookEvent":"jira:issue_updated","issue":{"key":"CON-999"},"user":{"accountId":"x"}}`)
	if got := post(foreign, sign(foreign, webhookSecret), "foreign"); got != http.StatusNoContent {
		t.Errorf("unknown ticket: status %d", got)
	}
	if sent.count() != 0 {
		t.Errorf("bad webhooks delivered verdicts: %+v", sent.verdicts)
	}
}

func sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// poster posts a body with a signature and a delivery identifier to the
// gateway, as Jira or an attacker would, and returns the status.
func poster(t *testing.T, gateway string) func(body []byte, signature, id string) int {
	return func(body []byte, signature, id string) int {
		req, _ := http.NewRequest(http.MethodPost, gateway, bytes.NewReader(body))
		if signature != "" {
			req.Header.Set("X-Hub-Signature", signature)
		}
		req.Header.Set("X-Atlassian-Webhook-Identifier", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
}

func nowMillis() string { return strconv.FormatInt(time.Now().UnixMilli(), 10) }

// The identifier is not signed: a delivery sent again under a new one is
// the same delivery, and one whose signed timestamp is old is a replay.
func TestAWebhookReplayedUnderANewIdentifierOrLateChangesNothing(t *testing.T) {
	site, _, sent, key, gateway := webhookSetup(t)
	post := poster(t, gateway.URL)
	if status, err := site.MoveAs(key, "Needs Change", sim.User{AccountID: "u1", DisplayName: "Sam Specialist"}); err != nil || status != http.StatusNoContent {
		t.Fatalf("the move: %d, %v", status, err)
	}
	delivered := site.LastDelivery()
	if got := post(delivered.Body, sign(delivered.Body, webhookSecret), "a-new-identifier"); got != http.StatusNoContent {
		t.Errorf("the replay under a new identifier answered %d", got)
	}
	if got := post(delivered.Body, strings.ToUpper(sign(delivered.Body, webhookSecret)), "another"); got != http.StatusNoContent && got != http.StatusUnauthorized {
		t.Errorf("the replay with its signature in upper case answered %d", got)
	}
	old := []byte(`{"timestamp":` + strconv.FormatInt(time.Now().Add(-2*time.Hour).UnixMilli(), 10) +
		`,"webhookEvent":"jira:issue_updated","issue":{"key":"` + key + `"},"user":{"accountId":"x"}}`)
	if got := post(old, sign(old, webhookSecret), "late"); got != http.StatusUnauthorized {
		t.Errorf("a delivery signed two hours ago answered %d, want 401", got)
	}
	if sent.count() != 1 {
		t.Errorf("%d verdicts reached the workflow, want the move's one", sent.count())
	}
}
