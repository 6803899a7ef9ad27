package config

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// Notify is how scoreflow tells customers what waits for them, beyond the
// dashboard: e-mail from one MSP mailbox, through Graph's sendMail on the
// MSP's own app (graph.client_id). Slack's side is under slack and each
// tenant's slack_channel.
type Notify struct {
	// MailFrom is the MSP's mailbox every mail is sent from. The MSP's app
	// holds Mail.Send and Mail.ReadBasic, limited to this mailbox by an
	// Exchange application access policy (docs/operations.md).
	MailFrom string `yaml:"mail_from"`
	// TenantID is the MSP's directory, where the mailbox lives; empty:
	// dashboard.msp_tenant_id.
	TenantID string `yaml:"tenant_id"`
	// OutsideMailbox is a mailbox of the MSP's directory that the access
	// policy leaves out: the doctor checks that the app cannot read it.
	OutsideMailbox string `yaml:"outside_mailbox"`
}

// The channels a tenant is told through (tenants[].notify).
const (
	ChannelSlack = "slack"
	ChannelEmail = "email"
)

// MailOn reports whether scoreflow sends mail at all.
func (n Notify) MailOn() bool { return n.MailFrom != "" }

// MailDirectory is the directory of the MSP's mailbox.
func (c *Config) MailDirectory() string {
	if c.Notify.TenantID != "" {
		return c.Notify.TenantID
	}
	return c.Dashboard.MSPTenantID
}

// Channels are what the tenant is told through: its notify list, or by
// default every channel configured for it (Slack with a slack_channel,
// e-mail with mail_to and notify.mail_from).
func (c *Config) Channels(t Tenant) []string {
	if t.Notify != nil {
		return t.Notify
	}
	var channels []string
	if t.SlackChannel != "" {
		channels = append(channels, ChannelSlack)
	}
	if len(t.MailTo) > 0 && c.Notify.MailOn() {
		channels = append(channels, ChannelEmail)
	}
	return channels
}

// Tells reports whether the tenant is told through a channel.
func (c *Config) Tells(t Tenant, channel string) bool { return slices.Contains(c.Channels(t), channel) }

func (c *Config) validateNotify(v *validation) {
	n := c.Notify
	if !n.MailOn() {
		return
	}
	if _, err := mail.ParseAddress(n.MailFrom); err != nil {
		v.add("notify.mail_from", "want the MSP mailbox's address, such as scoreflow@msp.example, got %q", n.MailFrom)
	}
	if !directoryID.MatchString(c.MailDirectory()) {
		v.add("notify.tenant_id", "want the MSP's own directory id, a GUID (or set dashboard.msp_tenant_id), got %q", c.MailDirectory())
	}
	if !c.Graph.App.IsSet() {
		v.add("notify.mail_from", "mail is sent through the MSP's own app: set graph.client_id with its client_secret or certificate_file")
	}
	if n.OutsideMailbox != "" {
		if _, err := mail.ParseAddress(n.OutsideMailbox); err != nil {
			v.add("notify.outside_mailbox", "want a mailbox's address, got %q", n.OutsideMailbox)
		}
	}
}

// validateChannels checks that a tenant is told somewhere, and that each of
// its channels has what it needs.
func (c *Config) validateChannels(path string, t Tenant, v *validation) {
	channels := c.Channels(t)
	if len(channels) == 0 {
		v.add(path+".notify", "the customer is told nowhere: set slack_channel (Slack), or mail_to with notify.mail_from (e-mail)")
	}
	for i, channel := range channels {
		switch {
		case channel != ChannelSlack && channel != ChannelEmail:
			v.add(fmt.Sprintf("%s.notify[%d]", path, i), "want %s or %s, got %q", ChannelSlack, ChannelEmail, channel)
		case slices.Index(channels, channel) != i:
			v.add(fmt.Sprintf("%s.notify[%d]", path, i), "%s is listed twice", channel)
		case channel == ChannelSlack:
			v.required(path+".slack_channel", t.SlackChannel)
		case channel == ChannelEmail:
			if len(t.MailTo) == 0 {
				v.add(path+".mail_to", "the customer is told by e-mail: name the addresses of the people who decide")
			}
			if !c.Notify.MailOn() {
				v.add("notify.mail_from", "tenant %q is told by e-mail: set the MSP mailbox mail is sent from", t.ID)
			}
		}
	}
	if len(channels) > 0 && !slices.Contains(channels, ChannelSlack) {
		// Without Slack's buttons the customer decides on the dashboard.
		if !c.Dashboard.On() {
			v.add(path+".notify", "a customer not told in Slack decides on the dashboard: configure the dashboard (dashboard.client_id)")
		}
		if !slices.ContainsFunc(t.Approvers, func(a string) bool { return strings.HasPrefix(a, entraApprover) }) {
			v.add(path+".approvers", "a customer not told in Slack decides on the dashboard: name its approvers as entra:<object id>")
		}
	}
	for i, address := range t.MailTo {
		if _, err := mail.ParseAddress(address); err != nil {
			v.add(fmt.Sprintf("%s.mail_to[%d]", path, i), "want an e-mail address, got %q", address)
		}
	}
	if t.TechnicalLeadMail != "" {
		if _, err := mail.ParseAddress(t.TechnicalLeadMail); err != nil {
			v.add(path+".technical_lead_mail", "want an e-mail address, got %q", t.TechnicalLeadMail)
		}
	}
}
