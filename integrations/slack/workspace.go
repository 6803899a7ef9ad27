package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/slack-go/slack"
)

// RequiredScopes are the bot token scopes of every Web API method scoreflow
// calls, by scope: deploy/slack-app-manifest.yaml lists exactly these, and
// `starter tenant check` names any the token lacks. Channel history is read
// to find what an earlier attempt posted (so nothing is posted twice), and
// the channel and users are read by the check.
var RequiredScopes = map[string][]string{
	"chat:write":       {"chat.postMessage", "chat.update", "chat.postEphemeral"},
	"channels:history": {"conversations.history", "conversations.replies"},
	"groups:history":   {"conversations.history", "conversations.replies"},
	"channels:read":    {"conversations.info"},
	"groups:read":      {"conversations.info"},
	"users:read":       {"users.info"},
}

// GrantedScopes are the scopes of the bot token, as Slack returns them in
// the X-OAuth-Scopes header of every Web API answer (here auth.test's).
func (c *Client) GrantedScopes(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.APIURL+"auth.test", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.BotToken)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("slack: auth.test: %w", err)
	}
	defer resp.Body.Close()
	var answer struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return nil, fmt.Errorf("slack: auth.test: %s: %w", resp.Status, err)
	}
	if !answer.OK {
		return nil, fmt.Errorf("slack: auth.test: %s", answer.Error)
	}
	var scopes []string
	for _, scope := range strings.Split(resp.Header.Get("X-OAuth-Scopes"), ",") {
		if scope = strings.TrimSpace(scope); scope != "" {
			scopes = append(scopes, scope)
		}
	}
	return scopes, nil
}

// MissingScopes are the required scopes the granted ones lack, sorted.
func MissingScopes(granted []string) []string {
	var missing []string
	for scope := range RequiredScopes {
		if !slices.Contains(granted, scope) {
			missing = append(missing, scope)
		}
	}
	slices.Sort(missing)
	return missing
}

// Channel reads a channel: its name, and whether the bot is a member.
func (c *Client) Channel(ctx context.Context, id string) (name string, botIsMember bool, err error) {
	channel, err := c.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: id})
	if err != nil {
		return "", false, fmt.Errorf("slack: conversations.info %s: %w", id, err)
	}
	return channel.Name, channel.IsMember, nil
}

// User reads a user's name; an unknown id is an error (user_not_found).
func (c *Client) User(ctx context.Context, id string) (string, error) {
	user, err := c.api.GetUserInfoContext(ctx, id)
	if err != nil {
		return "", fmt.Errorf("slack: users.info %s: %w", id, err)
	}
	return user.Name, nil
}
