package jira_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	gojira "github.com/andygrunwald/go-jira"

	"github.com/scoreflow/scoreflow/integrations/jira"
	"github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

func newJira(t testing.TB) (*sim.Server, *jira.Client) {
	t.Helper()
	site := sim.New("ops@example.com", "jira-api-token")
	t.Cleanup(site.Close)
	client, err := jira.New(jira.Config{BaseURL: site.URL(), Email: "ops@example.com", APIToken: "jira-api-token",
		IssueType: "Task", RFCIssueType: "Change", Statuses: lifecycle.DefaultStatuses(), DoneStatus: "Done", Projects: map[string]string{"contoso": "CON"}})
	if err != nil {
		t.Fatal(err)
	}
	return site, client
}

var request = lifecycle.TicketRequest{
	TenantID: "contoso", WorkflowID: "scoreflow/contoso/AdminMFAV2", FirstRunID: "run-1",
	ControlID: "AdminMFAV2", ControlTitle: "Require MFA for administrative roles",
	Facts: lifecycle.ControlFacts{Category: "Identity", Service: "AzureAD", Tier: "Core", UserImpact: "Low",
		ImplementationCost: "Low", Threats: []string{"Account Breach"}, MaxScore: 10, TenantMaxScore: 66,
		ActionURL: "https://security.microsoft.com/securescore?actionId=AdminMFAV2", Remediation: "<p>Create a Conditional Access policy.</p>"},
	PreAssessment: lifecycle.PreAssessment{UserImpact: "low", SuggestCritical: true, Reasons: []string{"Core control"}},
}

func TestRecommendationTicketHasEverythingAndIsCreatedOnce(t *testing.T) {
	site, client := newJira(t)
	ctx := context.Background()
	key, err := client.OpenRecommendationTicket(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	// The activity retried after a worker died between "created" and "completed".
	again, err := client.OpenRecommendationTicket(ctx, request)
	if err != nil || again != key || site.Creates() != 1 {
		t.Fatalf("retry gave %s (%v) after %s; creates = %d, want 1", again, err, key, site.Creates())
	}
	issue, _ := site.Issue(key)
	for _, label := range []string{"scoreflow", "sf-tenant-contoso", "sf-control-AdminMFAV2"} {
		if !contains(issue.Labels, label) {
			t.Errorf("labels %v lack %s", issue.Labels, label)
		}
	}
	for _, want := range []string{"0.00 / 10", "+15.15%", "Identity", "AzureAD", "Account Breach", "Low",
		"securescore?actionId=AdminMFAV2", "Conditional Access policy", "Suggested critical: yes", "Core control"} {
		if !strings.Contains(issue.Description, want) {
			t.Errorf("description lacks %q:\n%s", want, issue.Description)
		}
	}
	if issue.Project != "CON" || issue.Type != "Task" {
		t.Errorf("issue %s is a %s in %s", key, issue.Type, issue.Project)
	}
	regression := request
	regression.FirstRunID, regression.Regression, regression.PreviousRunID = "run-2", true, "run-1"
	second, err := client.OpenRecommendationTicket(ctx, regression)
	if err != nil || second == key {
		t.Fatalf("a regression reused %s (%v)", second, err)
	}
	if issue, _ := site.Issue(second); !strings.HasPrefix(issue.Summary, "[Secure Score] Regression:") {
		t.Errorf("regression summary %q", issue.Summary)
	}
}

func TestRFCIsLinkedNotesAreWrittenOnceAndTicketsClose(t *testing.T) {
	site, client := newJira(t)
	ctx := context.Background()
	key, _ := client.OpenRecommendationTicket(ctx, request)
	rfc := lifecycle.RFCRequest{TenantID: "contoso", WorkflowID: request.WorkflowID, FirstRunID: "run-1", ControlID: "AdminMFAV2",
		ControlTitle: request.ControlTitle, TicketKey: key, ApprovedBy: lifecycle.Person{Name: "Chris Customer"}, Attempt: 1}
	rfcKey, err := client.OpenRFCTicket(ctx, rfc)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := client.OpenRFCTicket(ctx, rfc); again != rfcKey || site.Creates() != 2 {
		t.Errorf("RFC retry created another ticket: %s vs %s, creates %d", again, rfcKey, site.Creates())
	}
	issue, _ := site.Issue(rfcKey)
	if issue.Type != "Change" || !contains(issue.Labels, "sf-rfc") || !contains(issue.Links, key) {
		t.Errorf("RFC %+v", issue)
	}
	note := lifecycle.TicketNote{TicketKey: key, NoteID: "wf/detection-warning", Kind: lifecycle.NoteDetectionOverdue, RFCKey: rfcKey, After: 7 * 24 * time.Hour}
	for range 2 {
		if err := client.AddNote(ctx, note); err != nil {
			t.Fatal(err)
		}
	}
	if issue, _ := site.Issue(key); len(issue.Comments) != 1 {
		t.Errorf("comments after a retried note = %d, want 1", len(issue.Comments))
	}
	closure := lifecycle.TicketClosure{TicketKeys: []string{key, rfcKey}, NoteID: "wf/closed", Stage: lifecycle.StageCompleted, Outcome: "Microsoft detected the change"}
	for range 2 {
		if err := client.Close(ctx, closure); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{key, rfcKey} {
		issue, _ := site.Issue(k)
		closing := 0
		for _, c := range issue.Comments {
			if strings.Contains(c, "Microsoft detected") {
				closing++
			}
		}
		if issue.Status != "Done" || closing != 1 {
			t.Errorf("%s: status %s, closing comments %d", k, issue.Status, closing)
		}
	}
	ticket, err := client.Get(ctx, rfcKey)
	if tenant, control, ok := ticket.TenantAndControl(); err != nil || !ok || tenant != "contoso" || control != "AdminMFAV2" || !ticket.IsRFC() {
		t.Errorf("read back %+v", ticket)
	}
}

func TestTheSimulatorRejectsWhatJiraRejects(t *testing.T) {
	site, _ := newJira(t)
	ctx := context.Background()
	wrong, _ := jira.New(jira.Config{BaseURL: site.URL(), Email: "ops@example.com", APIToken: "wrong", Projects: map[string]string{"contoso": "CON"}, IssueType: "Task"})
	if _, err := wrong.OpenRecommendationTicket(ctx, request); err == nil {
		t.Error("a wrong API token was accepted")
	}
	raw, _ := gojira.NewClient((&gojira.BasicAuthTransport{Username: "ops@example.com", Password: "jira-api-token"}).Client(), site.URL())
	issue, _, err := raw.Issue.CreateWithContext(ctx, &gojira.Issue{Fields: &gojira.IssueFields{
		Project: gojira.Project{Key: "CON"}, Type: gojira.IssueType{Name: "Task"}, Summary: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := raw.Issue.AddCommentWithContext(ctx, issue.Key, &gojira.Comment{Body: "hello"}); err == nil {
		t.Error(`go-jira's AddComment with "visibility":{} was accepted`)
	}
	if _, _, err := raw.Issue.SearchWithContext(ctx, "labels = scoreflow", nil); err == nil {
		t.Error("the removed /rest/api/2/search answered")
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestDataCenterPersonalAccessToken(t *testing.T) {
	site := sim.NewDataCenter("dc-personal-access-token")
	defer site.Close()
	client, err := jira.New(jira.Config{BaseURL: site.URL(), PersonalAccessToken: "dc-personal-access-token",
		IssueType: "Task", Projects: map[string]string{"contoso": "CON"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.OpenRecommendationTicket(context.Background(), request); err != nil {
		t.Fatalf("Data Center with a personal access token: %v", err)
	}
	basic, _ := jira.New(jira.Config{BaseURL: site.URL(), Email: "ops@example.com", APIToken: "dc-personal-access-token",
		IssueType: "Task", Projects: map[string]string{"contoso": "CON"}})
	if _, err := basic.OpenRecommendationTicket(context.Background(), request); err == nil {
		t.Error("Data Center accepted basic auth where it wants the token")
	}
}

// The onboarding's ticket activities call Jira concurrently: the connections
// they open are kept for the next calls, not closed after each one (which
// against Jira Cloud costs a TLS handshake per call).
func TestConcurrentCallsReuseTheirConnections(t *testing.T) {
	site, client := newJira(t)
	ctx := context.Background()
	key, err := client.OpenRecommendationTicket(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	const concurrent, rounds = 16, 5
	for range rounds {
		var wg sync.WaitGroup
		errs := make(chan error, concurrent)
		for range concurrent {
			wg.Go(func() {
				if _, err := client.Get(ctx, key); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	// At most one connection per concurrent call, and the one that opened the ticket.
	if opened := site.Connections(); opened > concurrent+1 {
		t.Errorf("%d rounds of %d concurrent calls opened %d connections, want at most %d", rounds, concurrent, opened, concurrent+1)
	}
}
