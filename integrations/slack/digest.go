package slack

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// PostDigest posts the regular-meeting digest once per digest run: the
// link to the meeting report on the dashboard, and every open non-critical
// decision as an item with its own buttons. With neither, it posts nothing.
func (c *Client) PostDigest(ctx context.Context, digest lifecycle.DigestRequest) (lifecycle.MessageRef, error) {
	report := c.cfg.ReportURLs[digest.TenantID]
	if len(digest.Items) == 0 && report == "" {
		return lifecycle.MessageRef{}, nil
	}
	channel, err := c.channel(digest.TenantID)
	if err != nil {
		return lifecycle.MessageRef{}, err
	}
	key := "digest/" + digest.TenantID + "/" + digest.DigestID
	if ts, err := c.find(ctx, channel, "", key); err != nil || ts != "" {
		return lifecycle.MessageRef{Channel: channel, TS: ts}, err
	}
	words := c.texts(digest.TenantID)
	title := words.Count("slack.digest.title", len(digest.Items))
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, title, false, false))}
	if report != "" {
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType,
			words.T("slack.digest.report", "URL", report), false, false), nil, nil))
	}
	for _, item := range digest.Items {
		request := lifecycle.DecisionRequest{TenantID: digest.TenantID, DecisionSubject: item.DecisionSubject}
		// An item is a decision request without its header, with a block id unique in the message.
		itemBlocks := DecisionBlocks(words, request, "")[1:]
		if actions, ok := itemBlocks[len(itemBlocks)-1].(*slack.ActionBlock); ok {
			actions.BlockID = DigestItemBlockID(item.WorkflowID)
		}
		blocks = append(blocks, append(itemBlocks, slack.NewDividerBlock())...)
	}
	_, ts, err := c.api.PostMessageContext(ctx, channel, slack.MsgOptionText(title, false), slack.MsgOptionBlocks(blocks...), metadata(key))
	if err != nil {
		return lifecycle.MessageRef{}, fmt.Errorf("slack: posting the digest: %w", err)
	}
	return lifecycle.MessageRef{Channel: channel, TS: ts}, nil
}
