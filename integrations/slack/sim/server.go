// Package sim is a local Slack Web API for tests and the demo: the methods
// scoreflow calls through slack-go, with the bot token checked on every call
// and messages kept per channel with their threads and metadata. It is a test
// double for Slack's service only.
package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/scoreflow/scoreflow/integrations/simfault"
)

// Message is a posted message.
type Message struct {
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	Metadata json.RawMessage
	Updated  int // how many times chat.update changed it
}

// Server is a running simulated Slack workspace.
type Server struct {
	srv      *httptest.Server
	botToken string

	mu         sync.Mutex
	messages   []*Message
	clock      int
	posts      int
	triggers   map[string]time.Time
	views      []View
	ephemerals []Ephemeral
	// scopes are the bot token's, returned in X-OAuth-Scopes.
	scopes []string
	// channels and users are what conversations.info and users.info know.
	channels map[string]Channel
	users    map[string]string

	// AfterPost, when set, runs once a message is stored and before Slack
	// answers: a test kills the worker there, between "posted" and "completed".
	AfterPost func(Message)
	// Faults make the workspace fail as Slack does when rate limiting or down.
	Faults *simfault.Injector
}

// New starts a workspace whose bot has this token.
func New(botToken string) *Server {
	s := &Server{botToken: botToken, triggers: map[string]time.Time{}, scopes: InstalledScopes,
		channels: map[string]Channel{}, users: map[string]string{}}
	mux := http.NewServeMux()
	for method, handler := range map[string]http.HandlerFunc{
		"auth.test":             s.authTest,
		"chat.postMessage":      s.postMessage,
		"chat.update":           s.update,
		"conversations.history": s.history,
		"conversations.replies": s.replies,
		"views.open":            s.viewsOpen,
		"chat.postEphemeral":    s.postEphemeral,
		"conversations.info":    s.conversationInfo,
		"users.info":            s.userInfo,
	} {
		mux.HandleFunc("/api/"+method, s.auth(handler))
	}
	s.Faults = simfault.New(func(w http.ResponseWriter, status int) {
		code := "internal_error"
		if status == http.StatusTooManyRequests {
			code = "ratelimited"
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
	})
	s.srv = httptest.NewServer(s.Faults.Wrap(mux))
	return s
}

// InstalledScopes are the bot token's scopes of an app installed from
// scoreflow's manifest.
var InstalledScopes = []string{"chat:write", "channels:history", "groups:history", "channels:read", "groups:read", "users:read"}

// Channel is a channel conversations.info knows.
type Channel struct {
	Name      string
	BotMember bool
}

// SetScopes replaces the bot token's scopes, as reinstalling the app with others would.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = scopes
}

// AddChannel makes a channel known to conversations.info.
func (s *Server) AddChannel(id string, c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = c
}

// AddUser makes a user known to users.info.
func (s *Server) AddUser(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = name
}

func (s *Server) conversationInfo(w http.ResponseWriter, r *http.Request) {
	id := r.Form.Get("channel")
	c, ok := s.channels[id]
	if !ok {
		slackError(w, "channel_not_found")
		return
	}
	writeOK(w, map[string]any{"channel": map[string]any{"id": id, "name": c.Name, "is_channel": true, "is_member": c.BotMember}})
}

func (s *Server) userInfo(w http.ResponseWriter, r *http.Request) {
	id := r.Form.Get("user")
	name, ok := s.users[id]
	if !ok {
		slackError(w, "user_not_found")
		return
	}
	writeOK(w, map[string]any{"user": map[string]any{"id": id, "name": name}})
}

// APIURL is what slack.api_url should be.
func (s *Server) APIURL() string { return s.srv.URL + "/api/" }

// Close stops the workspace.
func (s *Server) Close() { s.srv.Close() }

// Messages returns copies of the messages of a channel, thread replies included, in posting order.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.Channel == channel {
			out = append(out, *m)
		}
	}
	return out
}

// Posts is how many chat.postMessage calls succeeded.
func (s *Server) Posts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts
}

func (s *Server) auth(handler http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			slackError(w, "invalid_form_data")
			return
		}
		token := r.Form.Get("token")
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			token = bearer
		}
		if token == "" {
			slackError(w, "not_authed")
			return
		}
		if token != s.botToken {
			slackError(w, "invalid_auth")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		// Slack names the token's scopes on every answer to it.
		w.Header().Set("X-OAuth-Scopes", strings.Join(s.scopes, ","))
		handler(w, r)
	}
}

func (s *Server) authTest(w http.ResponseWriter, r *http.Request) {
	writeOK(w, map[string]any{"url": "https://msp.slack.com/", "team": "MSP", "user": "scoreflow", "team_id": "T0MSP", "user_id": "U0SCOREFLOW", "bot_id": "B0SCOREFLOW"})
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	channel := r.Form.Get("channel")
	if channel == "" {
		slackError(w, "channel_not_found")
		return
	}
	if r.Form.Get("text") == "" && r.Form.Get("blocks") == "" {
		slackError(w, "no_text")
		return
	}
	s.clock++
	m := &Message{Channel: channel, TS: fmt.Sprintf("1763800000.%06d", s.clock), ThreadTS: r.Form.Get("thread_ts"),
		Text: r.Form.Get("text"), Blocks: raw(r.Form.Get("blocks")), Metadata: raw(r.Form.Get("metadata"))}
	if m.ThreadTS != "" && s.find(channel, m.ThreadTS) == nil {
		slackError(w, "thread_not_found")
		return
	}
	s.messages = append(s.messages, m)
	s.posts++
	if s.AfterPost != nil {
		s.AfterPost(*m)
	}
	writeOK(w, map[string]any{"channel": channel, "ts": m.TS, "message": s.messageJSON(m)})
}

func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	m := s.find(r.Form.Get("channel"), r.Form.Get("ts"))
	if m == nil {
		slackError(w, "message_not_found")
		return
	}
	m.Text, m.Blocks = r.Form.Get("text"), raw(r.Form.Get("blocks"))
	m.Updated++
	writeOK(w, map[string]any{"channel": m.Channel, "ts": m.TS, "text": m.Text})
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	var out []map[string]any
	for i := len(s.messages) - 1; i >= 0; i-- { // newest first, as Slack answers
		if m := s.messages[i]; m.Channel == r.Form.Get("channel") && (m.ThreadTS == "" || m.ThreadTS == m.TS) {
			out = append(out, s.messageJSON(m))
		}
	}
	writeOK(w, map[string]any{"messages": out, "has_more": false})
}

func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	parent := s.find(r.Form.Get("channel"), r.Form.Get("ts"))
	if parent == nil {
		slackError(w, "thread_not_found")
		return
	}
	out := []map[string]any{s.messageJSON(parent)}
	for _, m := range s.messages {
		if m.Channel == parent.Channel && m.ThreadTS == parent.TS {
			out = append(out, s.messageJSON(m))
		}
	}
	writeOK(w, map[string]any{"messages": out, "has_more": false})
}

func (s *Server) find(channel, ts string) *Message {
	for _, m := range s.messages {
		if m.Channel == channel && m.TS == ts {
			return m
		}
	}
	return nil
}

func (s *Server) messageJSON(m *Message) map[string]any {
	out := map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "bot_id": "B0SCOREFLOW"}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if len(m.Blocks) > 0 {
		out["blocks"] = m.Blocks
	}
	if len(m.Metadata) > 0 {
		out["metadata"] = m.Metadata
	}
	return out
}

func raw(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

func writeOK(w http.ResponseWriter, body map[string]any) {
	body["ok"] = true
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(body)
}

// slackError answers as Slack does: HTTP 200 with ok=false.
func slackError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
}
