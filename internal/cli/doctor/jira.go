package doctor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// projectLookup reads a Jira project once for every tenant that shares it.
type projectLookup struct {
	once    sync.Once
	project jira.Project
	err     error
}

func (d *Doctor) project(ctx context.Context, key string) (jira.Project, error) {
	d.mu.Lock()
	lookup := d.projects[key]
	if lookup == nil {
		lookup = &projectLookup{}
		d.projects[key] = lookup
	}
	d.mu.Unlock()
	lookup.once.Do(func() { lookup.project, lookup.err = d.jira.Project(ctx, key) })
	return lookup.project, lookup.err
}

// checkJira checks the tenant's project: that it exists for scoreflow's
// account, has both issue types, and has every status scoreflow reads or
// sets in its workflows; and that moved tickets reach scoreflow.
func (d *Doctor) checkJira(ctx context.Context, t config.Tenant) []Result {
	if d.jiraErr != nil {
		return nil // the installation's check says why
	}
	results := []Result{d.checkDelivery(t)}
	project, err := d.project(ctx, t.JiraProject)
	if errors.Is(err, jira.ErrProjectNotFound) {
		return append(results, fail(t.ID, "jira project", d.texts.T("doctor.jira.no_project", "Project", t.JiraProject)))
	}
	if err != nil {
		return append(results, fail(t.ID, "jira project", err.Error()))
	}
	results = append(results, ok(t.ID, "jira project", project.Key+" ("+project.Name+")"))

	j := d.cfg.Jira
	var missingTypes []string
	for key, issueType := range map[string]string{"jira.issue_type": j.IssueType, "jira.rfc_issue_type": j.RFCIssueType} {
		if !containsFold(project.IssueTypes, issueType) {
			missingTypes = append(missingTypes, issueType+" ("+key+")")
		}
	}
	if len(missingTypes) > 0 {
		slices.Sort(missingTypes)
		results = append(results, fail(t.ID, "jira issue types", d.texts.T("doctor.jira.issue_types_missing", "Project", project.Key, "Missing", strings.Join(missingTypes, ", "),
			"Has", d.listOrNone(project.IssueTypes))))
	} else {
		results = append(results, ok(t.ID, "jira issue types", d.texts.T("doctor.jira.issue_types", "Type", j.IssueType, "RFCType", j.RFCIssueType)))
	}

	var missingStatuses []string
	for _, key := range slices.Sorted(maps.Keys(j.Statuses)) {
		if !containsFold(project.Statuses, j.Statuses[key]) {
			missingStatuses = append(missingStatuses, fmt.Sprintf("%q (jira.statuses.%s)", j.Statuses[key], key))
		}
	}
	if len(missingStatuses) > 0 {
		return append(results, fail(t.ID, "jira statuses", d.texts.T("doctor.jira.statuses_missing", "Project", project.Key, "Missing", strings.Join(missingStatuses, ", "))))
	}
	return append(results, ok(t.ID, "jira statuses", d.texts.T("doctor.jira.statuses", "Count", len(lifecycle.Verdicts())+1, "Project", project.Key)))
}

// checkDelivery: a moved ticket reaches scoreflow by signed webhook or by polling.
func (d *Doctor) checkDelivery(t config.Tenant) Result {
	j := d.cfg.Jira
	switch {
	case j.WebhookSecret.IsSet():
		return ok(t.ID, "jira delivery", d.texts.T("doctor.jira.webhook"))
	case j.PollInterval.D() > 0:
		return ok(t.ID, "jira delivery", d.texts.T("doctor.jira.polling", "Every", j.PollInterval.D().String()))
	}
	return fail(t.ID, "jira delivery", d.texts.T("doctor.jira.no_delivery"))
}

func containsFold(items []string, want string) bool {
	return slices.ContainsFunc(items, func(item string) bool { return strings.EqualFold(item, want) })
}
