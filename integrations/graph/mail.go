package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// Mail is one message scoreflow sends from the MSP's mailbox.
type Mail struct {
	To      []string
	Subject string
	Body    string // plain text
	// Key is unique to what the mail tells: a retried send finds the mail
	// it sent before by it, and sends none again.
	Key string
}

// mailKeyProperty is the named MAPI property scoreflow tags its mails with
// (a single-value extended property): Graph can filter a mailbox on it,
// which it cannot on a custom header.
const mailKeyProperty = "String {6d8d2a3e-4c1b-4f0e-9a57-0b1c2d3e4f5a} Name scoreflowMailKey"

// SendMailOnce sends a mail from a mailbox, unless the mailbox holds one
// with the same key already: sendMail itself is not idempotent, and an
// activity that died after Graph took the mail is retried. The sent copy
// is what is found, so the mail is saved to Sent Items.
func (c *Client) SendMailOnce(ctx context.Context, from string, m Mail) error {
	sent, err := c.mailSent(ctx, from, m.Key)
	if err != nil || sent {
		return err
	}
	message := models.NewMessage()
	message.SetSubject(&m.Subject)
	body := models.NewItemBody()
	text := models.TEXT_BODYTYPE
	body.SetContentType(&text)
	body.SetContent(&m.Body)
	message.SetBody(body)
	var to []models.Recipientable
	for _, address := range m.To {
		email := models.NewEmailAddress()
		email.SetAddress(&address)
		recipient := models.NewRecipient()
		recipient.SetEmailAddress(email)
		to = append(to, recipient)
	}
	message.SetToRecipients(to)
	key := models.NewSingleValueLegacyExtendedProperty()
	id := mailKeyProperty
	key.SetId(&id)
	key.SetValue(&m.Key)
	message.SetSingleValueExtendedProperties([]models.SingleValueLegacyExtendedPropertyable{key})
	request := users.NewItemSendMailPostRequestBody()
	request.SetMessage(message)
	save := true
	request.SetSaveToSentItems(&save)
	return classify("sending mail from "+from, c.service.Users().ByUserId(from).SendMail().Post(ctx, request, nil))
}

// mailSent reports whether the mailbox holds a mail with the key.
func (c *Client) mailSent(ctx context.Context, mailbox, key string) (bool, error) {
	filter := fmt.Sprintf("singleValueExtendedProperties/any(ep: ep/id eq '%s' and ep/value eq '%s')", mailKeyProperty, quoteOData(key))
	top := int32(1)
	page, err := c.service.Users().ByUserId(mailbox).Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Filter: &filter, Select: []string{"id"}, Top: &top},
	})
	if err != nil {
		return false, classify("looking in "+mailbox+" for a mail sent before", err)
	}
	return len(page.GetValue()) > 0, nil
}

// ReadMailbox reads one message of a mailbox: the doctor's check that the
// app may use it, or, for a mailbox its access policy leaves out, may not.
func (c *Client) ReadMailbox(ctx context.Context, mailbox string) error {
	top := int32(1)
	_, err := c.service.Users().ByUserId(mailbox).Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: &top},
	})
	return classify("reading "+mailbox, err)
}

// quoteOData escapes a string for a quoted OData literal.
func quoteOData(s string) string { return strings.ReplaceAll(s, "'", "''") }
