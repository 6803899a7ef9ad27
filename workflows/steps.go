package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// The recommendation's writes to the outside: tickets, chat and Graph. Each
// is an activity that finds its own earlier write after a crash, so no step
// is done twice (docs/architecture.md, "Exactly once").

// openRecommendationTicket opens the ticket a specialist triages, with the
// sweep's pre-assessment, and enters triage.
func (r *recommendation) openRecommendationTicket(ctx workflow.Context) error {
	info := workflow.GetInfo(ctx)
	request := lifecycle.TicketRequest{
		TenantID: r.state.TenantID, WorkflowID: info.WorkflowExecution.ID, FirstRunID: info.FirstRunID,
		ControlID: r.state.ControlID, ControlTitle: r.state.ControlTitle, Facts: r.state.Facts,
		PreAssessment: r.state.PreAssessment, Regression: r.state.Regression, PreviousRunID: r.state.PreviousRunID,
	}
	key, err := openTicket(ctx, r.texts, request)
	if err != nil {
		return err
	}
	r.state.TicketKey = key
	return r.transition(ctx, lifecycle.StageTriage, scoreflow, lifecycle.SourceScoreflow,
		"ticket "+key+" opened: check for an alternate mitigation")
}

// openTicket opens the recommendation ticket (or finds the one a crashed
// attempt opened). It first asks once, as a local activity inside the
// workflow's own task: on a new tenant's onboarding that saves each
// recommendation an activity task, a workflow task and a visibility write
// (BENCHMARKS.md). When that one attempt fails or is slow, the regular
// activity takes over: it retries with backoff for as long as the ticket
// system is down, and the Web UI shows it pending with the system's error.
func openTicket(ctx workflow.Context, words *texts.Texts, request lifecycle.TicketRequest) (string, error) {
	var tickets *activities.Tickets
	var key string
	localCtx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
		Summary:             words.T("ui.ticket.open_first_attempt"),
	})
	if err := workflow.ExecuteLocalActivity(localCtx, tickets.OpenRecommendationTicket, request).Get(ctx, &key); err == nil {
		return key, nil
	}
	err := workflow.ExecuteActivity(ticketStep(ctx, words.T("ui.ticket.open")), tickets.OpenRecommendationTicket, request).Get(ctx, &key)
	return key, err
}

// openRFC opens the change ticket and marks the recommendation planned.
// Graph has no "Planned" state: scoreflow keeps it and writes a Graph
// comment naming the RFC, leaving the state as it is.
func (r *recommendation) openRFC(ctx workflow.Context) error {
	var tickets *activities.Tickets
	r.state.RFCAttempts++
	approvedBy := scoreflow
	if n := len(r.state.Transitions); n > 0 {
		approvedBy = r.state.Transitions[n-1].By
	}
	info := workflow.GetInfo(ctx)
	request := lifecycle.RFCRequest{
		TenantID: r.state.TenantID, WorkflowID: info.WorkflowExecution.ID, FirstRunID: info.FirstRunID,
		ControlID: r.state.ControlID, ControlTitle: r.state.ControlTitle, TicketKey: r.state.TicketKey,
		Alternate: r.state.Alternate, ApprovedBy: approvedBy, Attempt: r.state.RFCAttempts,
	}
	if err := workflow.ExecuteActivity(ticketStep(ctx, r.texts.T("ui.ticket.open_rfc")), tickets.OpenRFCTicket, request).Get(ctx, &r.state.RFCKey); err != nil {
		return err
	}
	if err := r.writeGraphState(ctx, r.state.GraphState, "Planned: change request "+r.state.RFCKey); err != nil {
		return err
	}
	return r.transition(ctx, lifecycle.StagePlanned, scoreflow, lifecycle.SourceScoreflow, "RFC "+r.state.RFCKey+" opened")
}

// writeGraphState PATCHes the control and remembers what scoreflow wrote, so
// the sweep's next observation of it is not mistaken for an outside change,
// and so the first sweep after write_check_after can check it stuck. A state
// Graph does not take for this control is asked for by hand instead.
func (r *recommendation) writeGraphState(ctx workflow.Context, state, comment string) error {
	var secureScore *activities.SecureScore
	change := lifecycle.ControlStateChange{TenantID: r.state.TenantID, ControlID: r.state.ControlID, State: state, Comment: comment}
	var written lifecycle.StateWrite
	if err := workflow.ExecuteActivity(graphStep(ctx, r.texts.T("ui.graph.mark", "State", state)), secureScore.SetControlState, change).Get(ctx, &written); err != nil {
		return err
	}
	if written.Refused != "" {
		return r.askForStateByHand(ctx, change, written)
	}
	r.state.WriteCheck = &lifecycle.WriteCheck{State: state, Comment: comment, Before: r.state.GraphState,
		Due: workflow.Now(ctx).Add(r.timings.WriteCheckAfter)}
	r.state.GraphState = state
	return nil
}

// askForStateByHand: Graph does not take the state for this control, so the
// ticket tells the specialist where to record it, the audit trail says the
// write was not possible, and the lifecycle goes on.
func (r *recommendation) askForStateByHand(ctx workflow.Context, change lifecycle.ControlStateChange, written lifecycle.StateWrite) error {
	if !strings.EqualFold(change.State, r.state.GraphState) {
		r.state.ByHandState = change.State
	}
	note := lifecycle.TicketNote{Kind: lifecycle.NoteStateByHand, State: change.State, Comment: change.Comment, Write: written}
	if err := r.note(ctx, r.state.TicketKey, fmt.Sprintf("graph-by-hand-%d", len(r.state.Transitions)), note); err != nil {
		return err
	}
	return r.transition(ctx, r.state.Stage, scoreflow, lifecycle.SourceScoreflow,
		"Graph did not take the state "+change.State+" ("+written.Refused+"): the ticket asks for it to be recorded by hand")
}

// settle records how a recommendation ends in Graph: the state, with a
// comment naming who decided, becomes its outcome, and it enters its end stage.
func (r *recommendation) settle(ctx workflow.Context, graphState, comment string, stage lifecycle.Stage,
	by lifecycle.Person, source lifecycle.Source, reason string) error {
	if err := r.writeGraphState(ctx, graphState, comment); err != nil {
		return err
	}
	r.state.Outcome = comment
	return r.transition(ctx, stage, by, source, reason)
}

// note comments on a ticket once; noteID keeps a retried activity from commenting twice.
func (r *recommendation) note(ctx workflow.Context, ticketKey, noteID string, n lifecycle.TicketNote) error {
	if ticketKey == "" {
		return nil
	}
	var tickets *activities.Tickets
	n.TenantID, n.TicketKey, n.ControlID = r.state.TenantID, ticketKey, r.state.ControlID
	n.NoteID = workflow.GetInfo(ctx).WorkflowExecution.ID + "/" + noteID
	return workflow.ExecuteActivity(ticketStep(ctx, r.texts.T("ui.ticket.comment", "Ticket", ticketKey)), tickets.AddTicketNote, n).Get(ctx, nil)
}

// closeTickets closes the recommendation ticket and the RFC, saying why.
func (r *recommendation) closeTickets(ctx workflow.Context, noteID string, closure lifecycle.TicketClosure) error {
	var keys []string
	for _, k := range []string{r.state.TicketKey, r.state.RFCKey} {
		if k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var tickets *activities.Tickets
	closure.TenantID, closure.TicketKeys, closure.Stage = r.state.TenantID, keys, r.state.Stage
	closure.NoteID = workflow.GetInfo(ctx).WorkflowExecution.ID + "/" + noteID
	return workflow.ExecuteActivity(ticketStep(ctx, r.texts.T("ui.ticket.close")), tickets.CloseTickets, closure).Get(ctx, nil)
}

// askCustomer posts a critical decision's own message, naming the technical lead.
func (r *recommendation) askCustomer(ctx workflow.Context) error {
	var chat *activities.Chat
	request := lifecycle.DecisionRequest{TenantID: r.state.TenantID, DecisionSubject: lifecycle.DecisionSubject{
		WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID, ControlTitle: r.state.ControlTitle, TicketKey: r.state.TicketKey,
		Facts: r.state.Facts, PreAssessment: r.state.PreAssessment, Advice: r.state.Advice,
	}, Critical: true}
	var posted lifecycle.MessageRef
	if err := workflow.ExecuteActivity(chatStep(ctx, r.texts.T("ui.chat.ask")), chat.RequestDecision, request).Get(ctx, &posted); err != nil {
		return err
	}
	r.state.DecisionMessage = &posted
	if !tellsByMail(ctx) {
		return nil
	}
	var mail *activities.Mail
	return workflow.ExecuteActivity(mailStep(ctx, r.texts.T("ui.mail.decision")), mail.MailDecision, request).Get(ctx, nil)
}

// tellsByMail versions telling customers by e-mail beside Slack: runs of
// v0.2.0 sent no mail, and replay as they ran.
func tellsByMail(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, tellByMail, workflow.DefaultVersion, 1) == 1
}

const tellByMail = "tell-by-mail"

// showDecision updates the message the decision was taken in, the critical
// decision's own or the digest, to show who decided what. A decision taken
// outside chat (starter decide) on a non-critical recommendation has none.
func (r *recommendation) showDecision(ctx workflow.Context, d lifecycle.CustomerDecision) workflow.Future {
	message, inDigest := r.state.DecisionMessage, false
	if message == nil && d.From != nil {
		message, inDigest = d.From, true
	}
	if message == nil {
		shown, settle := workflow.NewFuture(ctx)
		settle.Set(nil, nil)
		return shown
	}
	var chat *activities.Chat
	outcome := lifecycle.DecisionOutcome{
		TenantID: r.state.TenantID, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
		ControlTitle: r.state.ControlTitle, Message: *message, Decision: d, InDigest: inDigest,
	}
	return workflow.ExecuteActivity(chatStep(ctx, r.texts.T("ui.chat.show_decision")), chat.RecordDecision, outcome)
}

// awaitShownDecisions waits, before the run ends, for its decisions to be
// shown in their messages; one the chat refused for good is logged.
func (r *recommendation) awaitShownDecisions(ctx workflow.Context) {
	r.awaitEach(ctx, r.pendingShows, "log.workflow.decision_not_shown")
	r.pendingShows = nil
}

// replyInThread posts once in the decision message's thread.
func (r *recommendation) replyInThread(ctx workflow.Context, summary string, reply lifecycle.ThreadReply) error {
	var chat *activities.Chat
	return workflow.ExecuteActivity(chatStep(ctx, summary), chat.ReplyInThread, reply).Get(ctx, nil)
}

// finish closes the tickets saying why and tells the customer in the
// decision's thread, then the workflow ends in its terminal stage.
func (r *recommendation) finish(ctx workflow.Context) error {
	if err := r.closeTickets(ctx, "closed", lifecycle.TicketClosure{Outcome: r.state.Outcome}); err != nil {
		return err
	}
	if r.state.DecisionMessage == nil {
		return nil
	}
	return r.replyInThread(ctx, r.texts.T("ui.chat.outcome"), lifecycle.ThreadReply{
		TenantID: r.state.TenantID, Message: *r.state.DecisionMessage, ReplyID: "outcome",
		Kind: lifecycle.ReplyOutcome, ControlTitle: r.state.ControlTitle, Outcome: r.state.Stage,
	})
}
