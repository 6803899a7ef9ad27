package jira

import (
	"context"
	"fmt"
	"strings"

	gojira "github.com/andygrunwald/go-jira"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// OpenRecommendationTicket creates the ticket a specialist triages, or finds
// the one this workflow step created before a crash.
func (c *Client) OpenRecommendationTicket(ctx context.Context, req lifecycle.TicketRequest) (string, error) {
	step := stepLabel(req.WorkflowID, req.FirstRunID, "recommendation")
	if key, err := c.findStep(ctx, step); err != nil || key != "" {
		return key, err
	}
	project, err := c.project(req.TenantID)
	if err != nil {
		return "", err
	}
	labels := []string{LabelScoreflow, TenantLabel(req.TenantID), ControlLabel(req.ControlID), step}
	return c.create(ctx, project, c.cfg.IssueType, c.recommendationSummary(req), c.recommendationDescription(req), labels)
}

// OpenRFCTicket creates the change ticket, linked to the recommendation ticket.
func (c *Client) OpenRFCTicket(ctx context.Context, req lifecycle.RFCRequest) (string, error) {
	step := stepLabel(req.WorkflowID, req.FirstRunID, fmt.Sprintf("rfc-%d", req.Attempt))
	key, err := c.findStep(ctx, step)
	if err != nil {
		return "", err
	}
	if key == "" {
		project, err := c.project(req.TenantID)
		if err != nil {
			return "", err
		}
		labels := []string{LabelScoreflow, LabelRFC, TenantLabel(req.TenantID), ControlLabel(req.ControlID), step}
		summary := c.texts.T("jira.summary.rfc", "Control", req.ControlTitle)
		if key, err = c.create(ctx, project, c.cfg.RFCIssueType, summary, c.rfcDescription(req), labels); err != nil {
			return "", err
		}
	}
	// Linking again after a crash is harmless: Jira keeps one link of a type between two issues.
	link := &gojira.IssueLink{
		Type:         gojira.IssueLinkType{Name: "Relates"},
		InwardIssue:  &gojira.Issue{Key: key},
		OutwardIssue: &gojira.Issue{Key: req.TicketKey},
	}
	if _, err := c.api.Issue.AddLinkWithContext(ctx, link); err != nil {
		return "", fmt.Errorf("jira: linking %s to %s: %w", key, req.TicketKey, err)
	}
	return key, nil
}

func (c *Client) project(tenantID string) (string, error) {
	project, ok := c.cfg.Projects[tenantID]
	if !ok {
		return "", fmt.Errorf("jira: tenant %q has no jira_project", tenantID)
	}
	return project, nil
}

func (c *Client) findStep(ctx context.Context, step string) (string, error) {
	found, err := c.Search(ctx, "labels = "+jqlString(step))
	if err != nil || len(found) == 0 {
		return "", err
	}
	return found[0].Key, nil
}

func (c *Client) create(ctx context.Context, project, issueType, summary, description string, labels []string) (string, error) {
	issue, _, err := c.api.Issue.CreateWithContext(ctx, &gojira.Issue{Fields: &gojira.IssueFields{
		Project: gojira.Project{Key: project}, Type: gojira.IssueType{Name: issueType},
		Summary: summary, Description: description, Labels: labels,
	}})
	if err != nil {
		return "", fmt.Errorf("jira: creating %q in %s: %w", summary, project, err)
	}
	return issue.Key, nil
}

// AddNote comments once: the comment carries a marker of its note id, and a
// retry that finds the marker does not comment again.
func (c *Client) AddNote(ctx context.Context, note lifecycle.TicketNote) error {
	return c.comment(ctx, note.TicketKey, note.NoteID, c.noteText(note))
}

// comment writes a comment once: its marker, the note id, finds it again.
func (c *Client) comment(ctx context.Context, key, noteID, text string) error {
	marker := "[" + stepLabel(noteID) + "]"
	comments, err := c.comments(ctx, key)
	if err != nil {
		return err
	}
	for _, body := range comments {
		if strings.Contains(body, marker) {
			return nil
		}
	}
	// go-jira's AddComment sends "visibility":{}, which Jira rejects with 400: post the plain body.
	req, err := c.api.NewRequestWithContext(ctx, "POST", "rest/api/2/issue/"+key+"/comment",
		map[string]string{"body": text + "\n\n" + marker})
	if err != nil {
		return err
	}
	if _, err := c.api.Do(req, nil); err != nil {
		return fmt.Errorf("jira: commenting on %s: %w", key, err)
	}
	return nil
}

func (c *Client) comments(ctx context.Context, key string) ([]string, error) {
	req, err := c.api.NewRequestWithContext(ctx, "GET", "rest/api/2/issue/"+key+"/comment?maxResults=1000", nil)
	if err != nil {
		return nil, err
	}
	var page struct {
		Comments []struct {
			Body string `json:"body"`
		} `json:"comments"`
	}
	if _, err := c.api.Do(req, &page); err != nil {
		return nil, fmt.Errorf("jira: reading the comments of %s: %w", key, err)
	}
	bodies := make([]string, len(page.Comments))
	for i, cm := range page.Comments {
		bodies[i] = cm.Body
	}
	return bodies, nil
}

// Close comments why and moves each ticket to the done status.
func (c *Client) Close(ctx context.Context, closure lifecycle.TicketClosure) error {
	for _, key := range closure.TicketKeys {
		if err := c.comment(ctx, key, closure.NoteID, c.closureText(closure)); err != nil {
			return err
		}
		if err := c.MoveTo(ctx, key, c.cfg.DoneStatus); err != nil {
			return err
		}
	}
	return nil
}

// MoveTo transitions a ticket to the named status; already there is done.
func (c *Client) MoveTo(ctx context.Context, key, status string) error {
	ticket, err := c.Get(ctx, key)
	if err != nil {
		return err
	}
	if strings.EqualFold(ticket.Status, status) {
		return nil
	}
	transitions, _, err := c.api.Issue.GetTransitionsWithContext(ctx, key)
	if err != nil {
		return fmt.Errorf("jira: reading the transitions of %s: %w", key, err)
	}
	for _, t := range transitions {
		if strings.EqualFold(t.To.Name, status) || strings.EqualFold(t.Name, status) {
			if _, err := c.api.Issue.DoTransitionWithContext(ctx, key, t.ID); err != nil {
				return fmt.Errorf("jira: moving %s to %s: %w", key, status, err)
			}
			return nil
		}
	}
	return fmt.Errorf("jira: %s cannot move from %q to %q in its workflow", key, ticket.Status, status)
}
