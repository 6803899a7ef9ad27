package sim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// User is a person in the workspace who clicks.
type User struct {
	ID   string
	Name string
}

// Ephemeral is a message only one user sees.
type Ephemeral struct {
	Channel, User, Text string
}

// View is an opened modal.
type View struct {
	ID              string
	CallbackID      string
	PrivateMetadata string
	TriggerID       string
}

// Interactions sends what Slack sends to the app's request URL, signed with
// the signing secret.
type Interactions struct {
	server        *Server
	requestURL    string
	signingSecret string
	last          *http.Request
	lastBody      []byte
}

// Interactions returns a sender to the app's request URL (POST /slack/interactions).
func (s *Server) Interactions(requestURL, signingSecret string) *Interactions {
	return &Interactions{server: s, requestURL: requestURL, signingSecret: signingSecret}
}

// Click presses a button of a message, as user.
func (in *Interactions) Click(user User, message Message, actionID, value string) (int, string, error) {
	in.server.mu.Lock()
	in.server.clock++
	trigger := fmt.Sprintf("trigger-%d", in.server.clock)
	in.server.triggers[trigger] = time.Now()
	in.server.mu.Unlock()
	payload := map[string]any{
		"type": "block_actions", "trigger_id": trigger,
		"user":      map[string]any{"id": user.ID, "name": user.Name},
		"team":      map[string]any{"id": "T0MSP"},
		"channel":   map[string]any{"id": message.Channel},
		"container": map[string]any{"type": "message", "message_ts": message.TS, "channel_id": message.Channel},
		"message":   map[string]any{"ts": message.TS, "text": message.Text},
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "block_id": "scoreflow_decision", "value": value,
			"action_ts": fmt.Sprintf("%d.%06d", time.Now().Unix(), in.server.clock)}},
	}
	return in.send(payload, time.Now())
}

// SubmitReason submits the accept-risk modal with a reason, as user.
func (in *Interactions) SubmitReason(user User, view View, reason string) (int, string, error) {
	payload := map[string]any{
		"type": "view_submission",
		"user": map[string]any{"id": user.ID, "name": user.Name},
		"team": map[string]any{"id": "T0MSP"},
		"view": map[string]any{"id": view.ID, "type": "modal", "callback_id": view.CallbackID, "private_metadata": view.PrivateMetadata,
			"state": map[string]any{"values": map[string]any{"reason": map[string]any{"reason_input": map[string]any{"type": "plain_text_input", "value": reason}}}}},
	}
	return in.send(payload, time.Now())
}

// Replay sends the last request again, byte for byte, signature included.
func (in *Interactions) Replay() (int, string, error) {
	return in.post(in.lastBody, in.last.Header)
}

// ReplayAt sends the last request again, byte for byte, to another request
// URL: to another worker of the same app, behind the same load balancer.
func (in *Interactions) ReplayAt(requestURL string) (int, string, error) {
	other := *in
	other.requestURL = requestURL
	return other.post(in.lastBody, in.last.Header)
}

// Stale sends a button click signed correctly but ten minutes old.
func (in *Interactions) Stale(user User, message Message, actionID, value string) (int, string, error) {
	payload := map[string]any{"type": "block_actions", "user": map[string]any{"id": user.ID},
		"channel": map[string]any{"id": message.Channel},
		"actions": []map[string]any{{"action_id": actionID, "value": value, "action_ts": "1"}}}
	return in.send(payload, time.Now().Add(-10*time.Minute))
}

func (in *Interactions) send(payload map[string]any, at time.Time) (int, string, error) {
	raw, _ := json.Marshal(payload)
	body := []byte(url.Values{"payload": {string(raw)}}.Encode())
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(in.signingSecret))
	mac.Write([]byte("v0:" + ts + ":" + string(body)))
	header := http.Header{}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	header.Set("X-Slack-Request-Timestamp", ts)
	header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return in.post(body, header)
}

func (in *Interactions) post(body []byte, header http.Header) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, in.requestURL, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header = header.Clone()
	in.last, in.lastBody = req, body
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer), nil
}

// Views returns the modals opened so far.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]View(nil), s.views...)
}

// Ephemerals returns the ephemeral messages sent so far.
func (s *Server) Ephemerals() []Ephemeral {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ephemeral(nil), s.ephemerals...)
}

// viewsOpen opens a modal for a trigger id no older than Slack's 3 seconds.
func (s *Server) viewsOpen(w http.ResponseWriter, r *http.Request) {
	var body struct {
		TriggerID string `json:"trigger_id"`
		View      struct {
			CallbackID      string `json:"callback_id"`
			PrivateMetadata string `json:"private_metadata"`
		} `json:"view"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		slackError(w, "invalid_json")
		return
	}
	issued, ok := s.triggers[body.TriggerID]
	if !ok || time.Since(issued) > 3*time.Second {
		slackError(w, "expired_trigger_id")
		return
	}
	delete(s.triggers, body.TriggerID)
	s.clock++
	view := View{ID: fmt.Sprintf("V%06d", s.clock), CallbackID: body.View.CallbackID, PrivateMetadata: body.View.PrivateMetadata, TriggerID: body.TriggerID}
	s.views = append(s.views, view)
	writeOK(w, map[string]any{"view": map[string]any{"id": view.ID, "callback_id": view.CallbackID}})
}

func (s *Server) postEphemeral(w http.ResponseWriter, r *http.Request) {
	e := Ephemeral{Channel: r.Form.Get("channel"), User: r.Form.Get("user"), Text: r.Form.Get("text")}
	if e.Channel == "" || e.User == "" {
		slackError(w, "channel_not_found")
		return
	}
	s.ephemerals = append(s.ephemerals, e)
	writeOK(w, map[string]any{"message_ts": fmt.Sprintf("1763800000.%06d", s.clock)})
}
