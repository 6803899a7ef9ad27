package sim

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// What Graph does with mail, as scoreflow uses it: POST
// /users/{mailbox}/sendMail, which keeps the sent copy in the mailbox, and
// GET /users/{mailbox}/messages filtered on a single-value extended
// property, which finds it again. The app needs Mail.Send, and
// Mail.ReadBasic (or Mail.Read) to read; an application access policy
// (Tenant.MailPolicy) limits both to some mailboxes.

// Mail is a message a mailbox sent.
type Mail struct {
	ID      string
	From    string
	To      []string
	Subject string
	Body    string
	// Properties are the message's single-value extended properties, by id.
	Properties map[string]string
	SentAt     time.Time
}

// Mails are the mails sent so far, oldest first.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mails)
}

// mailbox checks the app may use the mailbox with one of the roles, and
// answers as Graph does when it may not.
func (s *Server) mailbox(w http.ResponseWriter, t *Tenant, mailbox string, roles ...string) bool {
	granted := slices.ContainsFunc(roles, func(role string) bool { return slices.Contains(t.Roles, role) })
	switch {
	case !slices.ContainsFunc(t.Mailboxes, func(m string) bool { return strings.EqualFold(m, mailbox) }):
		graphError(w, http.StatusNotFound, "ErrorInvalidUser", fmt.Sprintf("The requested user '%s' is invalid.", mailbox))
	case !granted, t.MailPolicy != nil && !slices.ContainsFunc(t.MailPolicy, func(m string) bool { return strings.EqualFold(m, mailbox) }):
		graphError(w, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
	default:
		return true
	}
	return false
}

// sendMailRequest is the body of sendMail, as far as scoreflow fills it.
type sendMailRequest struct {
	Message *struct {
		Subject string `json:"subject"`
		Body    struct {
			ContentType string `json:"contentType"`
			Content     string `json:"content"`
		} `json:"body"`
		ToRecipients []struct {
			EmailAddress struct {
				Address string `json:"address"`
			} `json:"emailAddress"`
		} `json:"toRecipients"`
		SingleValueExtendedProperties []struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"singleValueExtendedProperties"`
	} `json:"message"`
	SaveToSentItems *bool `json:"saveToSentItems"`
}

func (s *Server) sendMail(w http.ResponseWriter, r *http.Request, t *Tenant) {
	from := r.PathValue("user")
	if !s.mailbox(w, t, from, "Mail.Send") {
		return
	}
	var req sendMailRequest
	if !readJSON(w, r, &req) {
		return
	}
	if req.Message == nil {
		graphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "The message is missing.")
		return
	}
	m := Mail{ID: fmt.Sprintf("AAMkAD-%d", len(s.mails)+1), From: from, Subject: req.Message.Subject, Body: req.Message.Body.Content,
		Properties: map[string]string{}, SentAt: s.now()}
	for _, to := range req.Message.ToRecipients {
		m.To = append(m.To, to.EmailAddress.Address)
	}
	if len(m.To) == 0 {
		graphError(w, http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient isn't valid.")
		return
	}
	for _, p := range req.Message.SingleValueExtendedProperties {
		m.Properties[p.ID] = p.Value
	}
	s.mails = append(s.mails, m)
	if s.AfterSendMail != nil {
		s.AfterSendMail(m)
	}
	w.WriteHeader(http.StatusAccepted)
}

// propertyFilter is the one $filter on messages scoreflow sends: a
// single-value extended property's id and value.
var propertyFilter = regexp.MustCompile(`^singleValueExtendedProperties/any\(ep: ep/id eq '((?:[^']|'')*)' and ep/value eq '((?:[^']|'')*)'\)$`)

func (s *Server) messages(w http.ResponseWriter, r *http.Request, t *Tenant) {
	mailbox := r.PathValue("user")
	if !s.mailbox(w, t, mailbox, "Mail.ReadBasic", "Mail.Read") {
		return
	}
	var id, value string
	if filter := r.URL.Query().Get("$filter"); filter != "" {
		match := propertyFilter.FindStringSubmatch(filter)
		if match == nil {
			graphError(w, http.StatusBadRequest, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
			return
		}
		id, value = strings.ReplaceAll(match[1], "''", "'"), strings.ReplaceAll(match[2], "''", "'")
	}
	found := []map[string]any{}
	for _, m := range s.mails {
		if strings.EqualFold(m.From, mailbox) && (id == "" || m.Properties[id] == value) {
			found = append(found, map[string]any{"id": m.ID, "subject": m.Subject, "sentDateTime": m.SentAt.UTC().Format(time.RFC3339)})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": found})
}
