package doctor

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/clients"
	"github.com/scoreflow/scoreflow/internal/config"
)

// checkMailbox checks the MSP's mailbox scoreflow mails from: the MSP's app
// gets a token in the MSP's directory with Mail.Send and Mail.ReadBasic, it
// may read the mailbox, and the Exchange application access policy keeps
// it out of notify.outside_mailbox: without the policy the app could send
// as anyone of the MSP.
func (d *Doctor) checkMailbox(ctx context.Context) []Result {
	n := d.cfg.Notify
	if !n.MailOn() {
		return nil
	}
	client, err := clients.MSPGraph(d.cfg)
	if err != nil {
		return []Result{fail(Installation, "mail", err.Error())}
	}
	roles, err := client.Roles(ctx)
	if err != nil {
		return []Result{fail(Installation, "mail token", d.texts.T("doctor.mail.token_failed", "Error", err.Error(), "Directory", d.cfg.MailDirectory()))}
	}
	var missing []string
	for _, role := range []string{graph.RoleMailSend, graph.RoleMailReadBasic} {
		if !slices.Contains(roles, role) {
			missing = append(missing, role)
		}
	}
	if len(missing) > 0 {
		return []Result{fail(Installation, "mail permissions", d.texts.T("doctor.mail.permission_missing", "Missing", strings.Join(missing, ", "),
			"Roles", d.listOrNone(roles)))}
	}
	results := []Result{ok(Installation, "mail permissions", graph.RoleMailSend+", "+graph.RoleMailReadBasic)}
	if err := client.ReadMailbox(ctx, n.MailFrom); err != nil {
		return append(results, fail(Installation, "mail mailbox", d.texts.T("doctor.mail.mailbox_failed", "Mailbox", n.MailFrom, "Error", err.Error())))
	}
	results = append(results, ok(Installation, "mail mailbox", d.texts.T("doctor.mail.mailbox", "Mailbox", n.MailFrom)))
	return append(results, d.checkAccessPolicy(ctx, client))
}

// checkAccessPolicy reads a mailbox the policy should leave out: Graph must refuse.
func (d *Doctor) checkAccessPolicy(ctx context.Context, client *graph.Client) Result {
	outside := d.cfg.Notify.OutsideMailbox
	if outside == "" {
		return fail(Installation, "mail access policy", d.texts.T("doctor.mail.policy_unchecked"))
	}
	var refused *graph.StatusError
	err := client.ReadMailbox(ctx, outside)
	switch {
	case err == nil:
		return fail(Installation, "mail access policy", d.texts.T("doctor.mail.policy_missing", "Mailbox", outside))
	case errors.As(err, &refused) && refused.Status == http.StatusForbidden:
		return ok(Installation, "mail access policy", d.texts.T("doctor.mail.policy", "Mailbox", outside))
	}
	return fail(Installation, "mail access policy", d.texts.T("doctor.mail.policy_failed", "Mailbox", outside, "Error", err.Error()))
}

// checkMail says who of the tenant is told by e-mail.
func (d *Doctor) checkMail(_ context.Context, t config.Tenant) []Result {
	if !d.cfg.Tells(t, config.ChannelEmail) {
		return nil
	}
	lead := t.TechnicalLeadMail
	if lead == "" {
		lead = d.texts.T("doctor.mail.no_lead")
	}
	return []Result{ok(t.ID, "mail recipients", d.texts.T("doctor.mail.recipients", "To", strings.Join(t.MailTo, ", "), "Lead", lead))}
}
