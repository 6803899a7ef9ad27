package main

import (
	"strings"
	"testing"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// A critical decision's timers through the real worker, with the periods
// shortened in the config: reminders in the decision's thread, then the
// escalation naming the technical lead, recorded in the audit trail as the
// timer's step; the customer's approval ends them.
func TestRemindersAndEscalationThroughTheWorker(t *testing.T) {
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "gateway:", "lifecycle: {reminder_interval: 3s, escalation_after: 7s}\ngateway:")
	})
	s, ctx, c := e.setup, e.ctx, e.client
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", "Jane")
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "critical_decision", "--by", "Jane")

	// Reminders at 3 s and 6 s, the escalation at 7 s.
	var replies []string
	waitFor(t, ctx, func() bool {
		replies = nil
		for _, m := range e.slackSim.Messages("C0CONTOSO") {
			if m.ThreadTS != "" {
				replies = append(replies, m.Text)
			}
		}
		return len(replies) >= 3
	})
	if !strings.HasPrefix(replies[0], "Reminder:") || !strings.HasPrefix(replies[1], "Reminder:") ||
		!strings.Contains(replies[2], "<@U0TECHLEAD> Escalation:") {
		t.Errorf("thread replies = %q, want two reminders and the escalation naming the technical lead", replies)
	}
	st := state(t, ctx, c, "AdminMFAV2")
	if last := st.Transitions[len(st.Transitions)-1]; !st.Escalated || last.Source != lifecycle.SourceTimer ||
		last.From != lifecycle.StageAwaitingDecision || last.To != lifecycle.StageAwaitingDecision {
		t.Errorf("the escalation is recorded as %+v (escalated %v)", last, st.Escalated)
	}

	starter(t, s, "decide", "contoso", "AdminMFAV2", "approve", "--by", "U0CUSTOMER1")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StagePlanned)
	if st := state(t, ctx, c, "AdminMFAV2"); st.DeadlineFor != "" {
		t.Errorf("a timer outlived the decision: %s at %s", st.DeadlineFor, st.Deadline)
	}
	recordHistory(t, ctx, c, "AdminMFAV2", "critical_reminded_escalated_approved")
	e.stop(t)
}
