package config

import (
	"fmt"
	"slices"
	"strings"
)

// entraApprover marks an approver named by their Entra object id, who
// decides on the dashboard: "entra:<object id>". Any other approver is a
// Slack user id, who decides with Slack's buttons.
const entraApprover = "entra:"

// SlackApprovers are the approvers named by Slack user id.
func (t Tenant) SlackApprovers() []string {
	var ids []string
	for _, a := range t.Approvers {
		if !strings.Contains(a, ":") {
			ids = append(ids, a)
		}
	}
	return ids
}

// ApprovesInEntra reports whether the person of the tenant's directory with
// this object id may decide for the customer on the dashboard.
func (t Tenant) ApprovesInEntra(objectID string) bool {
	return objectID != "" && slices.ContainsFunc(t.Approvers, func(a string) bool {
		return strings.EqualFold(a, entraApprover+objectID)
	})
}

func (t Tenant) validateApprovers(path string, v *validation) {
	if len(t.Approvers) == 0 {
		v.add(path, "name at least one person who may decide for the customer: a Slack user id, or entra:<object id> for the dashboard")
	}
	for i, a := range t.Approvers {
		kind, id, named := strings.Cut(a, ":")
		switch {
		case strings.TrimSpace(a) == "":
			v.add(fmt.Sprintf("%s[%d]", path, i), "names no one")
		case !named:
		case kind+":" != entraApprover:
			v.add(fmt.Sprintf("%s[%d]", path, i), "want a Slack user id or entra:<object id>, got %q", a)
		case !directoryID.MatchString(id):
			v.add(fmt.Sprintf("%s[%d]", path, i), "want entra: followed by the person's object id, a GUID (Entra admin center, Users, the person's Overview), got %q", a)
		}
	}
}
