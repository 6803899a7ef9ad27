package jira_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/testutil/golden"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// What the MSP's specialists read in Jira, in English and in Dutch
// (msp_language), as the client writes it to the site: a regression's
// recommendation ticket, its RFC, every note a workflow leaves and both
// kinds of closure. The golden files show each; the labels, by which
// scoreflow finds its tickets, are the same in both.
func TestTicketsAreInTheMSPsLanguage(t *testing.T) {
	var labels [][]string
	for _, language := range texts.Languages {
		t.Run(string(language), func(t *testing.T) {
			site := sim.New("ops@example.com", "jira-api-token")
			t.Cleanup(site.Close)
			client, err := jira.New(jira.Config{BaseURL: site.URL(), Email: "ops@example.com", APIToken: "jira-api-token",
				IssueType: "Task", RFCIssueType: "Change", Statuses: lifecycle.DefaultStatuses(), DoneStatus: "Done",
				Projects: map[string]string{"contoso": "CON"}, Language: language})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			regression := request
			regression.Regression, regression.PreviousRunID = true, "run-0"
			regression.PreAssessment.FinancialImpact, regression.PreAssessment.MissingLicences = true, []string{"Entra ID P2"}
			regression.Facts.Score = 2.5
			regression.Fleet = &lifecycle.FleetRecord{Implemented: 6, Alternative: 2, RiskAccepted: 3,
				Reasons: []lifecycle.GroupedReason{{Text: "Legacy kiosks cannot enrol", Tenants: 3}}}
			ticket, err := client.OpenRecommendationTicket(ctx, regression)
			if err != nil {
				t.Fatal(err)
			}
			rfc, err := client.OpenRFCTicket(ctx, lifecycle.RFCRequest{TenantID: "contoso", WorkflowID: request.WorkflowID,
				FirstRunID: "run-1", ControlID: request.ControlID, ControlTitle: request.ControlTitle, TicketKey: ticket,
				Alternate: true, ApprovedBy: lifecycle.Person{ID: "U0CUSTOMER1", Name: "Chris Customer"}, Attempt: 1})
			if err != nil {
				t.Fatal(err)
			}
			specialist := lifecycle.Person{ID: "557058:sam", Name: "Sam Specialist"}
			for i, note := range []lifecycle.TicketNote{
				{Kind: lifecycle.NoteStateByHand, State: "ThirdParty", Comment: "Addressed by a third party: CON-1 by Sam Specialist",
					Write: lifecycle.StateWrite{Refused: "Graph takes no state updates for Defender for Endpoint's controls (scid_*)",
						Portal: lifecycle.PortalVulnerabilityManagement}},
				{Kind: lifecycle.NoteStateByHand, State: "Ignored", Comment: "Risk accepted by Chris Customer: legacy tooling",
					Write: lifecycle.StateWrite{Refused: "graph: 400 Bad Request", Portal: lifecycle.PortalSecureScore}},
				{Kind: lifecycle.NoteWriteDidNotStick, State: "Reviewed", Comment: "Resolved through alternate mitigation",
					After: 72 * time.Hour, SeenState: "Default", SeenComment: "reset by an admin"},
				{Kind: lifecycle.NoteDetectionOverdue, RFCKey: rfc, After: 7 * 24 * time.Hour},
				{Kind: lifecycle.NoteRiskReview, After: 180 * 24 * time.Hour},
				{Kind: lifecycle.NoteRFCCancelled, RFCKey: rfc, By: specialist},
			} {
				note.TenantID, note.TicketKey, note.ControlID, note.NoteID = "contoso", ticket, request.ControlID, fmt.Sprintf("note-%d", i)
				if err := client.AddNote(ctx, note); err != nil {
					t.Fatal(err)
				}
			}
			for _, closure := range []lifecycle.TicketClosure{
				{NoteID: "risk-accepted", Stage: lifecycle.StageRiskAccepted, AcceptedBy: lifecycle.Person{ID: "U0CUSTOMER1", Name: "Chris Customer"},
					AcceptReason: "legacy tooling", ReviewAt: time.Date(2027, 5, 29, 9, 0, 0, 0, time.UTC)},
				{NoteID: "closed", Stage: lifecycle.StageCompleted, Outcome: "Microsoft detected the change: 10.00/10 points"},
			} {
				closure.TenantID, closure.TicketKeys = "contoso", []string{ticket}
				if err := client.Close(ctx, closure); err != nil {
					t.Fatal(err)
				}
			}

			var shown strings.Builder
			var ticketLabels []string
			for _, key := range []string{ticket, rfc} {
				issue, _ := site.Issue(key)
				fmt.Fprintf(&shown, "=== %s (%s)\n%s\n\n%s\n", issue.Key, issue.Type, issue.Summary, issue.Description)
				for _, comment := range issue.Comments {
					fmt.Fprintf(&shown, "\n--- comment\n%s\n", comment)
				}
				shown.WriteString("\n")
				ticketLabels = append(ticketLabels, issue.Labels...)
			}
			golden.Check(t, filepath.Join("testdata", "golden", "tickets."+string(language)+".txt"), []byte(shown.String()))
			labels = append(labels, ticketLabels)
		})
	}
	if len(labels) == 2 && !slices.Equal(labels[0], labels[1]) {
		t.Errorf("the tickets' labels differ by language:\n%v\n%v", labels[0], labels[1])
	}
}
