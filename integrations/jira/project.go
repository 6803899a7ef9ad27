package jira

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// Project is what scoreflow needs of a tenant's Jira project: its issue
// types and the statuses its workflows have.
type Project struct {
	Key        string
	Name       string
	IssueTypes []string
	Statuses   []string
}

// ErrProjectNotFound says Jira has no such project, or hides it from scoreflow's account.
var ErrProjectNotFound = errors.New("jira: project not found")

// Project reads a project, its issue types (GET /rest/api/2/project/{key})
// and the statuses of its workflows (GET /rest/api/2/project/{key}/statuses).
func (c *Client) Project(ctx context.Context, key string) (Project, error) {
	project, resp, err := c.api.Project.GetWithContext(ctx, url.PathEscape(key))
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return Project{}, fmt.Errorf("%w: %s", ErrProjectNotFound, key)
	}
	if err != nil {
		return Project{}, fmt.Errorf("jira: reading project %s: %w", key, err)
	}
	out := Project{Key: project.Key, Name: project.Name}
	for _, t := range project.IssueTypes {
		out.IssueTypes = append(out.IssueTypes, t.Name)
	}
	req, err := c.api.NewRequestWithContext(ctx, http.MethodGet, "rest/api/2/project/"+url.PathEscape(key)+"/statuses", nil)
	if err != nil {
		return Project{}, err
	}
	var byIssueType []struct {
		Statuses []struct {
			Name string `json:"name"`
		} `json:"statuses"`
	}
	if _, err := c.api.Do(req, &byIssueType); err != nil {
		return Project{}, fmt.Errorf("jira: reading the statuses of %s: %w", key, err)
	}
	for _, issueType := range byIssueType {
		for _, status := range issueType.Statuses {
			if !slices.Contains(out.Statuses, status.Name) {
				out.Statuses = append(out.Statuses, status.Name)
			}
		}
	}
	return out, nil
}
