package mail_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/integrations/graph/sim"
	"github.com/scoreflow/scoreflow/integrations/mail"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/testutil/golden"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// newClient mails through the simulated MSP mailbox with the real Graph client.
func newClient(t *testing.T, language texts.Language, dashboard string) (*sim.Server, *mail.Client) {
	t.Helper()
	msp := sim.MSP()
	server := sim.New(msp)
	t.Cleanup(server.Close)
	sender, err := graph.NewClient(
		graph.Credentials{AzureTenantID: msp.AzureTenantID, ClientID: msp.ClientID, ClientSecret: msp.ClientSecret},
		graph.Endpoints{BaseURL: server.GraphURL(), AuthorityHost: server.AuthorityURL(), RootCAs: server.CertPool()})
	if err != nil {
		t.Fatal(err)
	}
	return server, mail.New(mail.Config{From: sim.MSPMailbox, DashboardURL: dashboard, Tenants: map[string]mail.Tenant{
		"vandijk": {Name: "Van Dijk Bouw", To: []string{"jan@vandijk.example"}, TechnicalLead: "piet@vandijk.example", Language: language},
	}}, sender)
}

var critical = lifecycle.DecisionRequest{TenantID: "vandijk", Critical: true, DecisionSubject: lifecycle.DecisionSubject{
	WorkflowID: "scoreflow/vandijk/AdminMFAV2", ControlTitle: "Require MFA for administrative roles", TicketKey: "VDB-1",
	Facts:         lifecycle.ControlFacts{Score: 0, MaxScore: 10, TenantMaxScore: 98, Category: "Identity", Service: "AzureAD"},
	PreAssessment: lifecycle.PreAssessment{UserImpact: "Low", MissingLicences: []string{"Entra ID P1"}},
	Advice:        "Do it this week: two admins use no MFA",
	Fleet: &lifecycle.FleetRecord{Implemented: 4, Alternative: 1, RiskAccepted: 3,
		Reasons: []lifecycle.GroupedReason{{Text: "Legacy kiosks cannot enrol", Tenants: 3}}}}}

// What the customer receives, in each language: the decision the day it is
// asked, the meeting's digest with its report, the technical lead's
// escalation.
func TestTheMailsCustomersReceive(t *testing.T) {
	for _, language := range texts.Languages {
		t.Run(string(language), func(t *testing.T) {
			server, client := newClient(t, language, "https://scoreflow.msp.example")
			ctx := context.Background()
			digest := lifecycle.DigestRequest{TenantID: "vandijk", DigestID: "2026-12-07", Items: []lifecycle.DigestItem{
				{DecisionSubject: lifecycle.DecisionSubject{WorkflowID: "scoreflow/vandijk/RoleOverlap", ControlTitle: "Use least privileged administrative roles",
					TicketKey: "VDB-2", Facts: lifecycle.ControlFacts{Score: 1.5, MaxScore: 8, TenantMaxScore: 98, Category: "Identity", Service: "AzureAD"},
					PreAssessment: lifecycle.PreAssessment{UserImpact: "Moderate", FinancialImpact: true}}, WaitingSince: time.Now()},
			}}
			escalation := lifecycle.ThreadReply{TenantID: "vandijk", Kind: lifecycle.ReplyEscalation, ControlTitle: critical.ControlTitle, Waited: 72 * time.Hour}
			for _, send := range []func() error{
				func() error { return client.Decision(ctx, critical, "decision") },
				func() error { return client.Digest(ctx, digest, "digest") },
				func() error { return client.Escalation(ctx, escalation, "escalation") },
			} {
				if err := send(); err != nil {
					t.Fatal(err)
				}
			}
			var shown strings.Builder
			for _, m := range server.Mails() {
				fmt.Fprintf(&shown, "From: %s\nTo: %s\nSubject: %s\n\n%s\n\n----\n", m.From, strings.Join(m.To, ", "), m.Subject, m.Body)
				// Forwarded, a mail shows a stranger nothing internal: no ticket.
				if strings.Contains(m.Body, "VDB-") || strings.Contains(m.Subject, "VDB-") {
					t.Errorf("the mail %q names a ticket", m.Subject)
				}
			}
			golden.Check(t, filepath.Join("testdata", "golden", "mails."+string(language)+".txt"), []byte(shown.String()))
		})
	}
}

// A tenant not told by e-mail gets none; a digest with nothing to decide
// and no dashboard to link says nothing.
func TestNoMailWhereThereIsNothingToTell(t *testing.T) {
	server, client := newClient(t, texts.English, "")
	ctx := context.Background()
	other := critical
	other.TenantID = "contoso"
	if err := client.Decision(ctx, other, "k1"); err != nil {
		t.Fatal(err)
	}
	if err := client.Digest(ctx, lifecycle.DigestRequest{TenantID: "vandijk"}, "k2"); err != nil {
		t.Fatal(err)
	}
	if mails := server.Mails(); len(mails) != 0 {
		t.Errorf("mailed %+v", mails)
	}
}
