package sim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
)

// User is the Jira account that moves a ticket.
type User struct {
	AccountID   string
	DisplayName string
}

// Delivery is one webhook request as Jira sends it.
type Delivery struct {
	Identifier string
	Body       []byte
}

// SetWebhook registers the URL and secret Jira signs its webhooks with.
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL, s.webhookSecret = url, secret
}

// MoveAs moves a ticket as a specialist does in Jira's UI and, when a webhook
// is registered, delivers jira:issue_updated signed with X-Hub-Signature.
// It returns the gateway's status code (0 without a webhook).
func (s *Server) MoveAs(key, status string, user User) (int, error) {
	s.mu.Lock()
	issue, ok := s.issues[key]
	if !ok {
		s.mu.Unlock()
		return 0, fmt.Errorf("no issue %s", key)
	}
	from := issue.Status
	s.setStatus(issue, status, user)
	s.deliveries++
	delivery := Delivery{Identifier: fmt.Sprintf("sim-%d", s.deliveries)}
	delivery.Body, _ = json.Marshal(map[string]any{
		"timestamp": s.now().UnixMilli(), "webhookEvent": "jira:issue_updated", "issue_event_type_name": "issue_generic",
		"user":  map[string]any{"accountId": user.AccountID, "displayName": user.DisplayName},
		"issue": map[string]any{"id": issue.ID, "key": issue.Key, "fields": map[string]any{"status": map[string]any{"name": status}}},
		"changelog": map[string]any{"id": fmt.Sprint(10000 + s.deliveries), "items": []map[string]any{
			{"field": "status", "fieldtype": "jira", "fromString": from, "toString": status}}},
	})
	s.lastDelivery = delivery
	url := s.webhookURL
	s.mu.Unlock()
	if url == "" {
		return 0, nil
	}
	return s.deliver(delivery)
}

// LastDelivery is the last webhook Jira sent, as it went over the wire.
func (s *Server) LastDelivery() Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastDelivery
}

// Redeliver sends the last webhook again with the same identifier, as Jira
// does when it did not get a timely 2xx.
func (s *Server) Redeliver() (int, error) {
	s.mu.Lock()
	delivery := s.lastDelivery
	s.mu.Unlock()
	return s.deliver(delivery)
}

func (s *Server) deliver(d Delivery) (int, error) {
	s.mu.Lock()
	url, secret := s.webhookURL, s.webhookSecret
	s.mu.Unlock()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(d.Body)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	req.Header.Set("X-Atlassian-Webhook-Identifier", d.Identifier)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
