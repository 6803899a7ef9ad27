// Package slack is where customers decide: decision messages with buttons,
// thread replies and decision updates through slack-go. Its simulator for
// tests and the demo lives in slack/sim.
package slack

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/scoreflow/scoreflow/integrations/httppool"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// The buttons' action ids and the reason modal's ids: the wire contract with
// Slack (docs/configuration.md, "Slack").
const (
	ActionApprove     = "scoreflow_approve"
	ActionAcceptRisk  = "scoreflow_accept_risk"
	ActionAlternative = "scoreflow_alternative"
	RiskReasonModal   = "scoreflow_risk_reason"
	ReasonBlock       = "reason"
	ReasonInput       = "reason_input"
)

// buttons are the decision buttons in the order a message shows them: each
// decision's action id, the text ids of its label and of the words that
// show it was taken, and its style. The action ids and values are the same
// in every language.
var buttons = []struct {
	decision lifecycle.Decision
	actionID string
	label    string
	style    slack.Style
	taken    string
}{
	{lifecycle.DecisionApprove, ActionApprove, "slack.button.approve", slack.StylePrimary, "slack.taken.approve"},
	{lifecycle.DecisionAcceptRisk, ActionAcceptRisk, "slack.button.accept_risk", slack.StyleDanger, "slack.taken.accept_risk"},
	{lifecycle.DecisionAlternative, ActionAlternative, "slack.button.alternative", slack.StyleDefault, "slack.taken.alternative"},
}

// ActionID is the action id of a decision's button.
func ActionID(d lifecycle.Decision) (string, bool) {
	for _, b := range buttons {
		if b.decision == d {
			return b.actionID, true
		}
	}
	return "", false
}

// decisionOf is the decision a button's action id stands for.
func decisionOf(actionID string) (lifecycle.Decision, bool) {
	for _, b := range buttons {
		if b.actionID == actionID {
			return b.decision, true
		}
	}
	return "", false
}

// takenWords say a decision was taken, for the updated message.
func takenWords(words *texts.Texts, d lifecycle.Decision) string {
	for _, b := range buttons {
		if b.decision == d {
			return words.T(b.taken)
		}
	}
	return string(d)
}

// metadataEvent marks scoreflow's messages; the payload's key makes each post findable.
const metadataEvent = "scoreflow_message"

// Config is what the client needs of scoreflow.yaml.
type Config struct {
	APIURL         string
	BotToken       string
	Channels       map[string]string         // tenant id to channel id
	TechnicalLeads map[string]string         // tenant id to Slack user id
	Languages      map[string]texts.Language // tenant id to the language its people read
	// ReportURLs are each tenant's meeting report on the dashboard, which
	// the digest links to; none when the dashboard is off.
	ReportURLs map[string]string
	// AlertChannel is the MSP's channel for score-drop alerts, written in
	// MSPLanguage; empty: none.
	AlertChannel string
	MSPLanguage  texts.Language
	HTTPClient   *http.Client
}

// RequestTimeout bounds one call to Slack: a hung connection fails the
// attempt, and the activity retries, well before its own timeout.
const RequestTimeout = 10 * time.Second

// IdleConnections is how many connections to Slack stay open between calls.
const IdleConnections = 16

// Client posts to Slack for every tenant.
type Client struct {
	api  *slack.Client
	http *http.Client
	cfg  Config
}

// New builds the slack-go client.
func New(cfg Config) *Client {
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Transport: httppool.Transport(IdleConnections), Timeout: RequestTimeout}
	}
	options := []slack.Option{slack.OptionAPIURL(cfg.APIURL), slack.OptionHTTPClient(httpClient)}
	return &Client{api: slack.New(cfg.BotToken, options...), http: httpClient, cfg: cfg}
}

// texts are the tenant's language's.
func (c *Client) texts(tenantID string) *texts.Texts { return texts.For(c.cfg.Languages[tenantID]) }

// RequestDecision posts a decision's own message, or finds the one a crashed attempt posted.
func (c *Client) RequestDecision(ctx context.Context, req lifecycle.DecisionRequest) (lifecycle.MessageRef, error) {
	channel, err := c.channel(req.TenantID)
	if err != nil {
		return lifecycle.MessageRef{}, err
	}
	key := req.WorkflowID + "/decision"
	if ts, err := c.find(ctx, channel, "", key); err != nil || ts != "" {
		return lifecycle.MessageRef{Channel: channel, TS: ts}, err
	}
	words := c.texts(req.TenantID)
	_, ts, err := c.api.PostMessageContext(ctx, channel,
		slack.MsgOptionText(words.T("slack.decision.fallback", "Control", req.ControlTitle), false),
		slack.MsgOptionBlocks(DecisionBlocks(words, req, c.cfg.TechnicalLeads[req.TenantID])...),
		metadata(key))
	if err != nil {
		return lifecycle.MessageRef{}, fmt.Errorf("slack: posting the decision request: %w", err)
	}
	return lifecycle.MessageRef{Channel: channel, TS: ts}, nil
}

// ReplyInThread posts a reminder, escalation or outcome once in the decision's thread.
func (c *Client) ReplyInThread(ctx context.Context, reply lifecycle.ThreadReply) error {
	key := reply.Message.TS + "/" + reply.ReplyID
	if ts, err := c.find(ctx, reply.Message.Channel, reply.Message.TS, key); err != nil || ts != "" {
		return err
	}
	text := replyText(c.texts(reply.TenantID), reply)
	if lead := c.cfg.TechnicalLeads[reply.TenantID]; reply.MentionTechnicalLead && lead != "" {
		text = fmt.Sprintf("<@%s> %s", lead, text)
	}
	_, _, err := c.api.PostMessageContext(ctx, reply.Message.Channel, slack.MsgOptionText(text, false),
		slack.MsgOptionTS(reply.Message.TS), metadata(key))
	if err != nil {
		return fmt.Errorf("slack: replying in the thread: %w", err)
	}
	return nil
}

// outcomeTexts tell the customer how a recommendation they decided on ended.
var outcomeTexts = map[lifecycle.Stage]string{
	lifecycle.StageCompleted:          "slack.reply.outcome.completed",
	lifecycle.StageResolvedAlternate:  "slack.reply.outcome.resolved_alternate",
	lifecycle.StageResolvedThirdParty: "slack.reply.outcome.resolved_third_party",
	lifecycle.StageResolvedExternally: "slack.reply.outcome.resolved_externally",
	lifecycle.StageWithdrawn:          "slack.reply.outcome.withdrawn",
}

// replyText is a thread reply in the tenant's language.
func replyText(words *texts.Texts, reply lifecycle.ThreadReply) string {
	switch reply.Kind {
	case lifecycle.ReplyReminder:
		return words.T("slack.reply.reminder", "Control", reply.ControlTitle, "Asked", words.Date(reply.Asked))
	case lifecycle.ReplyEscalation:
		return words.T("slack.reply.escalation", "Control", reply.ControlTitle, "Waited", words.Period(reply.Waited))
	case lifecycle.ReplyOutcome:
		if id, known := outcomeTexts[reply.Outcome]; known {
			return words.T(id, "Control", reply.ControlTitle)
		}
	}
	return string(reply.Kind)
}

// RecordDecision replaces the buttons with who decided what; updating twice
// shows the same. In a digest only this recommendation's item changes.
func (c *Client) RecordDecision(ctx context.Context, outcome lifecycle.DecisionOutcome) error {
	d := outcome.Decision
	words := c.texts(outcome.TenantID)
	said := []any{"Control", outcome.ControlTitle, "Taken", takenWords(words, d.Decision), "By", decidedBy(words, d)}
	text := words.T("slack.decided", said...)
	if d.Reason != "" {
		text = words.T("slack.decided_with_reason", append(said, "Reason", d.Reason)...)
	}
	decided := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
	options := []slack.MsgOption{slack.MsgOptionText(text, false), slack.MsgOptionBlocks(decided)}
	if outcome.InDigest {
		blocks, fallback, err := c.digestWithDecision(ctx, outcome, decided)
		if err != nil {
			return err
		}
		options = []slack.MsgOption{slack.MsgOptionText(fallback, false), slack.MsgOptionBlocks(blocks...)}
	}
	if _, _, _, err := c.api.UpdateMessageContext(ctx, outcome.Message.Channel, outcome.Message.TS, options...); err != nil {
		return fmt.Errorf("slack: updating the decision message: %w", err)
	}
	return nil
}

// decidedBy names who decided: a Slack user as a mention, anyone else by
// name with where they decided, since they have no Slack account to mention.
func decidedBy(words *texts.Texts, d lifecycle.CustomerDecision) string {
	name := escapeText(d.By.String())
	switch d.Source {
	case lifecycle.SourceSlack:
		return fmt.Sprintf("<@%s>", d.By.ID)
	case lifecycle.SourceDashboard:
		return words.T("slack.by.dashboard", "Name", name)
	}
	return words.T("slack.by.msp", "Name", name)
}

// escapeText keeps a name from being read as Slack's markup: a mention, a
// link or a channel.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// digestWithDecision re-reads the digest and swaps this item's buttons for the decision.
func (c *Client) digestWithDecision(ctx context.Context, outcome lifecycle.DecisionOutcome, decided slack.Block) ([]slack.Block, string, error) {
	history, err := c.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: outcome.Message.Channel, Latest: outcome.Message.TS, Inclusive: true, Limit: 200,
	})
	if err != nil {
		return nil, "", fmt.Errorf("slack: reading the digest: %w", err)
	}
	for _, m := range history.Messages {
		if m.Timestamp != outcome.Message.TS {
			continue
		}
		blocks := m.Blocks.BlockSet
		for i, b := range blocks {
			if actions, ok := b.(*slack.ActionBlock); ok && actions.BlockID == DigestItemBlockID(outcome.WorkflowID) {
				blocks[i] = decided
			}
		}
		return blocks, m.Text, nil
	}
	return nil, "", fmt.Errorf("slack: digest %s not found in %s", outcome.Message.TS, outcome.Message.Channel)
}

// DigestItemBlockID names the buttons of one digest item.
func DigestItemBlockID(workflowID string) string { return "scoreflow_decision_" + workflowID }

func (c *Client) channel(tenantID string) (string, error) {
	channel, ok := c.cfg.Channels[tenantID]
	if !ok {
		return "", fmt.Errorf("slack: tenant %q has no slack_channel", tenantID)
	}
	return channel, nil
}

func metadata(key string) slack.MsgOption {
	return slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataEvent, EventPayload: map[string]any{"key": key}})
}

// find looks for scoreflow's message with this key in the channel, or in a thread.
func (c *Client) find(ctx context.Context, channel, threadTS, key string) (string, error) {
	var messages []slack.Message
	if threadTS == "" {
		history, err := c.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: channel, Limit: 200, IncludeAllMetadata: true,
		})
		if err != nil {
			return "", fmt.Errorf("slack: reading the channel: %w", err)
		}
		messages = history.Messages
	} else {
		replies, _, _, err := c.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: threadTS, Limit: 200, IncludeAllMetadata: true,
		})
		if err != nil {
			return "", fmt.Errorf("slack: reading the thread: %w", err)
		}
		messages = replies
	}
	for _, m := range messages {
		if m.Metadata.EventType == metadataEvent && fmt.Sprint(m.Metadata.EventPayload["key"]) == key {
			return m.Timestamp, nil
		}
	}
	return "", nil
}

// DecisionBlocks is the Block Kit message of a decision, in the tenant's
// language: what, impact, the specialist's advice, critical or not, and
// the three buttons.
func DecisionBlocks(words *texts.Texts, req lifecycle.DecisionRequest, technicalLead string) []slack.Block {
	f, p := req.Facts, req.PreAssessment
	heading := words.T("slack.decision.heading")
	if req.Critical {
		heading = words.T("slack.decision.heading_critical")
	}
	financial := words.T("slack.decision.financial_no")
	if p.FinancialImpact {
		financial = words.T("slack.decision.financial_yes")
	}
	lines := []string{"*" + req.ControlTitle + "*",
		words.T("slack.decision.points", "Score", words.Number(f.Score, 2), "Max", words.Number(f.MaxScore, 0),
			"Impact", words.Number(f.ScoreImpact(), 2)+"%", "Category", f.Category, "Service", f.Service)}
	impact := words.T("slack.decision.impact", "UserImpact", p.UserImpact, "FinancialImpact", financial)
	if len(p.MissingLicences) > 0 {
		impact += " (" + strings.Join(p.MissingLicences, "; ") + ")"
	}
	lines = append(lines, impact)
	if req.Advice != "" {
		lines = append(lines, words.T("slack.decision.advice", "Advice", req.Advice))
	}
	if req.Fleet != nil {
		for _, line := range words.FleetRecord(*req.Fleet) {
			lines = append(lines, escapeText(line))
		}
	}
	if req.Critical && technicalLead != "" {
		lines = append(lines, words.T("slack.decision.technical_lead", "Lead", "<@"+technicalLead+">"))
	}
	lines = append(lines, words.T("slack.decision.ticket", "Ticket", req.TicketKey))
	var elements []slack.BlockElement
	for _, b := range buttons {
		button := slack.NewButtonBlockElement(b.actionID, req.WorkflowID, slack.NewTextBlockObject(slack.PlainTextType, words.T(b.label), false, false))
		button.Style = b.style
		elements = append(elements, button)
	}
	return []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, heading, false, false)),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, strings.Join(lines, "\n"), false, false), nil, nil),
		slack.NewActionBlock("scoreflow_decision", elements...),
	}
}
