package graph_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
)

func newMSP(t *testing.T) (*sim.Server, *graph.Client) {
	t.Helper()
	return newClientOf(t, sim.MSP())
}

// A mail goes out once, whatever the number of sends with its key: the
// second finds the sent copy in the mailbox.
func TestAMailIsSentOncePerKey(t *testing.T) {
	server, client := newMSP(t)
	ctx := context.Background()
	mail := graph.Mail{To: []string{"jan@vandijk.example", "piet@vandijk.example"}, Subject: "Beslissing nodig", Body: "Beslis op het dashboard.",
		Key: "run-1/activity-7"}
	for range 2 {
		if err := client.SendMailOnce(ctx, sim.MSPMailbox, mail); err != nil {
			t.Fatal(err)
		}
	}
	other := mail
	other.Key, other.Subject = "run-1/activity-9", "Another one's"
	if err := client.SendMailOnce(ctx, sim.MSPMailbox, other); err != nil {
		t.Fatal(err)
	}
	sent := server.Mails()
	if len(sent) != 2 || sent[0].Subject != mail.Subject || len(sent[0].To) != 2 || sent[0].Body != mail.Body || sent[1].Subject != other.Subject {
		t.Fatalf("sent %+v, want the two mails once each", sent)
	}
}

// The MSP's app may use its mailbox and no other: the access policy.
func TestTheAccessPolicyLimitsTheAppToItsMailbox(t *testing.T) {
	server, client := newMSP(t)
	ctx := context.Background()
	if err := client.ReadMailbox(ctx, sim.MSPMailbox); err != nil {
		t.Errorf("reading the MSP's mailbox: %v", err)
	}
	var refused *graph.StatusError
	if err := client.ReadMailbox(ctx, sim.MSPOtherMailbox); !errors.As(err, &refused) || refused.Status != http.StatusForbidden {
		t.Errorf("reading a mailbox outside the policy: %v, want 403", err)
	}
	err := client.SendMailOnce(ctx, sim.MSPOtherMailbox, graph.Mail{To: []string{"x@example.com"}, Subject: "s", Body: "b", Key: "k"})
	if !errors.As(err, &refused) || refused.Status != http.StatusForbidden || len(server.Mails()) != 0 {
		t.Errorf("sending from a mailbox outside the policy: %v, %d mails", err, len(server.Mails()))
	}
}
