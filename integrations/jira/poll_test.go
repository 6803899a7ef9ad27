package jira_test

import (
	"context"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/jira/sim"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Polling reads who moved each ticket from its changelog, so the audit names
// the specialist as a webhook would; a change that names no one is recorded
// as Jira's.
func TestPollingNamesWhoMovedTheTicket(t *testing.T) {
	site, client, sent, key, _ := webhookSetup(t)
	site.SetWebhook("", "") // Jira cannot reach the gateway: polling only
	router := newRouter(client, sent)
	ctx := context.Background()

	// Moved to Needs Change by Jane, then by another specialist to To Do and
	// back by Jane's colleague: the latest move to the status is the one named.
	site.MoveAs(key, "Needs Change", sim.User{AccountID: "557058:jane", DisplayName: "Jane Specialist"})
	site.MoveAs(key, "To Do", sim.User{AccountID: "557058:piet", DisplayName: "Piet Specialist"})
	site.MoveAs(key, "Needs Change", sim.User{AccountID: "557058:piet", DisplayName: "Piet Specialist"})
	if _, err := client.Poll(ctx, router, "contoso", time.Minute); err != nil {
		t.Fatal(err)
	}
	if sent.count() != 1 {
		t.Fatalf("verdicts sent = %+v", sent.verdicts)
	}
	if v := sent.verdicts[0]; v.By != (lifecycle.Person{ID: "557058:piet", Name: "Piet Specialist"}) || v.Source != lifecycle.SourceJiraPoll {
		t.Errorf("polled verdict = %+v, want it by Piet from the poll", v)
	}

	// An automation rule's move names no one.
	site.Move(key, "To Do")
	site.Move(key, "Needs Change")
	if _, err := client.Poll(ctx, router, "contoso", time.Minute); err != nil {
		t.Fatal(err)
	}
	if sent.count() != 2 {
		t.Fatalf("verdicts sent = %+v", sent.verdicts)
	}
	if v := sent.verdicts[1]; v.By.Name != "Jira (polled)" {
		t.Errorf("a move without a person was recorded as by %+v", v.By)
	}
}
