package activities

import (
	"context"

	"go.temporal.io/sdk/activity"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// Mailer tells customers by e-mail (integrations/mail): each call sends its
// mail once per key, and nothing for a tenant not told by e-mail.
type Mailer interface {
	Decision(ctx context.Context, req lifecycle.DecisionRequest, key string) error
	Digest(ctx context.Context, d lifecycle.DigestRequest, key string) error
	Escalation(ctx context.Context, reply lifecycle.ThreadReply, key string) error
}

// Mail holds the mailer the e-mail activities send through; nil when
// scoreflow sends no mail (notify.mail_from unset).
type Mail struct {
	Mailer Mailer
	// Fleet, if set, adds what the MSP's other customers did to a decision.
	Fleet FleetRecords
}

// MailDecision mails a critical decision the day it is asked.
func (m *Mail) MailDecision(ctx context.Context, req lifecycle.DecisionRequest) error {
	if m.Mailer == nil {
		return nil
	}
	withFleet(ctx, m.Fleet, req.TenantID, &req.DecisionSubject)
	return m.Mailer.Decision(ctx, req, mailKey(ctx))
}

// MailDigest mails the regular meeting's digest and report.
func (m *Mail) MailDigest(ctx context.Context, d lifecycle.DigestRequest) error {
	if m.Mailer == nil {
		return nil
	}
	withFleet(ctx, m.Fleet, d.TenantID, digestSubjects(d)...)
	return m.Mailer.Digest(ctx, d, mailKey(ctx))
}

// MailEscalation mails an escalation to the technical lead.
func (m *Mail) MailEscalation(ctx context.Context, reply lifecycle.ThreadReply) error {
	if m.Mailer == nil {
		return nil
	}
	return m.Mailer.Escalation(ctx, reply, mailKey(ctx))
}

// mailKey names this activity's mail: the same in every attempt of it, so
// an attempt after a crash finds the mail an earlier one sent, and another
// in every other activity.
func mailKey(ctx context.Context) string {
	info := activity.GetInfo(ctx)
	return info.WorkflowExecution.ID + "/" + info.WorkflowExecution.RunID + "/" + info.ActivityID
}
