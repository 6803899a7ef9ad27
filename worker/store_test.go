package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/integrations/slack"
	slacksim "github.com/scoreflow/scoreflow/integrations/slack/sim"
	"github.com/scoreflow/scoreflow/internal/cli"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
)

// PostgreSQL stops while a customer decides: the decision is applied and
// answered in Slack at once, the steps wait in a retried activity, and once
// the server is back every step is in the store, each once.
func TestAStoreOutageHoldsUpNoDecision(t *testing.T) {
	postgres := storetest.OwnPostgres(t)
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "gateway:", fmt.Sprintf("store: {dsn: %q}\ngateway:", postgres.DSN()))
	})
	s, ctx, c := e.setup, e.ctx, e.client
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", "Jane")
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "critical_decision", "--by", "Jane")
	waitFor(t, ctx, func() bool { return state(t, ctx, c, "AdminMFAV2").DecisionMessage != nil })
	message := messageByTS(t, e, state(t, ctx, c, "AdminMFAV2").DecisionMessage.TS)

	postgres.Stop()
	clicks := e.slackSim.Interactions("http://"+s.gateway()+"/slack/interactions", testSlackSigningSecret)
	if code, _, err := clicks.Click(slacksim.User{ID: "U0CUSTOMER1", Name: "chris"}, message, slack.ActionApprove,
		lifecycle.RecommendationWorkflowID("contoso", "AdminMFAV2")); err != nil || code != http.StatusOK {
		t.Fatalf("the customer's approval answered %d, %v while the store was down", code, err)
	}
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StagePlanned)
	waitFor(t, ctx, func() bool { return messageByTS(t, e, message.TS).Updated == 1 })
	if !strings.Contains(messageByTS(t, e, message.TS).Text, "approved by <@U0CUSTOMER1>") {
		t.Errorf("the decision message after the approval: %q", messageByTS(t, e, message.TS).Text)
	}
	waitFor(t, ctx, func() bool { return slices.Contains(pendingActivities(t, e, "AdminMFAV2"), "RecordTransitions") })
	if _, err := store.OpenCurrent(ctx, postgres.DSN(), ""); err == nil {
		t.Fatal("the store answered while PostgreSQL was stopped")
	}

	postgres.Start()
	steps := state(t, ctx, c, "AdminMFAV2").Transitions
	waitFor(t, ctx, func() bool { return len(storedSteps(t, postgres.DSN(), "AdminMFAV2")) == len(steps) })
	assertStoredOnce(t, storedSteps(t, postgres.DSN(), "AdminMFAV2"), steps)
	e.stop(t)
}

// The worker is killed after a step and before its row reached the store
// (held by a writer that locks the SQLite file): after the restart the row
// is written, once.
func TestWorkerKilledBetweenAStepAndItsRowWritesItOnce(t *testing.T) {
	t.Parallel() // the cut store write waits for its activity's timeout
	e := startE2E(t, true)
	s, ctx, c := e.setup, e.ctx, e.client
	storeFile := filepath.Join(filepath.Dir(s.dbFile), "scoreflow.db")
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)

	release := lockSQLite(t, storeFile)
	starter(t, s, "verdict", "contoso", "AdminMFAV2", "needs_change", "--by", "Jane")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageAssessment)
	waitFor(t, ctx, func() bool { return slices.Contains(pendingActivities(t, e, "AdminMFAV2"), "RecordTransitions") })
	_ = e.worker.cmd.Process.Signal(syscall.SIGKILL)
	<-e.worker.done
	release()

	e.worker = startWorkerProcess(t, e.setup.env, "--config", e.setup.configPath)
	e.worker.waitHealthy(t, e.setup.gateway())
	steps := state(t, ctx, c, "AdminMFAV2").Transitions
	waitFor(t, ctx, func() bool { return len(storedSteps(t, storeFile, "AdminMFAV2")) == len(steps) })
	assertStoredOnce(t, storedSteps(t, storeFile, "AdminMFAV2"), steps)
	e.stop(t)
}

// The daily prune schedule deletes what is older than store.retention.
func TestRetentionPrunesTheStore(t *testing.T) {
	e := startE2E(t, false, func(s testSetup) {
		setConfig(t, s.configPath, "gateway:", "store: {retention: 30d}\ngateway:")
	})
	s, ctx, c := e.setup, e.ctx, e.client
	sweep(t, s.configPath)
	if days := scoreHistory(t, s, "365d"); len(days) != 90 {
		t.Fatalf("the first sweep recorded %d days, want Graph's 90", len(days))
	}
	if err := c.ScheduleClient().GetHandle(ctx, lifecycle.PruneScheduleID).Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, func() bool { return len(scoreHistory(t, s, "365d")) <= 31 })
	if days := scoreHistory(t, s, "365d"); days[0].Day < time.Now().AddDate(0, 0, -31).UTC().Format(time.DateOnly) {
		t.Errorf("after the prune the oldest day is %s", days[0].Day)
	}
	e.stop(t)
}

// lockSQLite holds the store file's write lock until release is called, as
// a long writer would: the worker's writes wait, then fail, and retry.
func lockSQLite(t *testing.T, file string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		_ = conn.Close()
		_ = db.Close()
	}
}

func messageByTS(t *testing.T, e *e2e, ts string) slacksim.Message {
	t.Helper()
	for _, m := range e.slackSim.Messages("C0CONTOSO") {
		if m.TS == ts {
			return m
		}
	}
	t.Fatalf("no message %s in the channel", ts)
	return slacksim.Message{}
}

// pendingActivities are the types of the recommendation's activities that
// have not completed.
func pendingActivities(t *testing.T, e *e2e, control string) []string {
	t.Helper()
	description, err := e.client.DescribeWorkflowExecution(e.ctx, lifecycle.RecommendationWorkflowID("contoso", control), "")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, a := range description.PendingActivities {
		types = append(types, a.ActivityType.GetName())
	}
	return types
}

// storedSteps are the control's steps in the store, or none while it does not answer.
func storedSteps(t *testing.T, dsn, control string) []lifecycle.TransitionRecord {
	t.Helper()
	db, err := store.OpenCurrent(context.Background(), dsn, "")
	if err != nil {
		return nil
	}
	defer db.Close()
	steps, err := db.Transitions(context.Background(), "contoso", time.Time{})
	if err != nil {
		return nil
	}
	return slices.DeleteFunc(steps, func(s lifecycle.TransitionRecord) bool { return s.ControlID != control })
}

// assertStoredOnce checks the store holds each of the workflow's steps once, in order.
func assertStoredOnce(t *testing.T, stored []lifecycle.TransitionRecord, steps []lifecycle.Transition) {
	t.Helper()
	if len(stored) != len(steps) {
		t.Fatalf("the store holds %d steps, the workflow %d", len(stored), len(steps))
	}
	for i, s := range stored {
		if s.Seq != i || s.From != steps[i].From || s.To != steps[i].To || !s.At.Equal(steps[i].At.Truncate(time.Microsecond)) {
			t.Errorf("stored step %d is %d %s→%s at %s, the workflow's %s→%s at %s", i, s.Seq, s.From, s.To, s.At, steps[i].From, steps[i].To, steps[i].At)
		}
	}
}

// With store.disabled the worker keeps no history: no database, no prune
// schedule, steps only in Temporal, where the audit reads them.
func TestADisabledStoreKeepsNoHistory(t *testing.T) {
	e := startE2E(t, true, func(s testSetup) {
		setConfig(t, s.configPath, "gateway:", "store: {disabled: true}\ngateway:")
	})
	s, ctx, c := e.setup, e.ctx, e.client
	sweep(t, s.configPath)
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	if _, err := os.Stat(filepath.Join(filepath.Dir(s.dbFile), "scoreflow.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a disabled store left a database file (%v)", err)
	}
	if _, err := c.ScheduleClient().GetHandle(ctx, lifecycle.PruneScheduleID).Describe(ctx); err == nil {
		t.Error("a disabled store has a prune schedule")
	}
	var out, errOut bytes.Buffer
	if code := cli.Run([]string{"--config", s.configPath, "history", "--tenant", "contoso"}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "store.disabled") {
		t.Errorf("starter history with the store disabled exited %d: %s", code, errOut.String())
	}
	audit := starter(t, s, "audit", "--tenant", "contoso", "--since", "1d")
	if !strings.Contains(audit, "contoso,AdminMFAV2,detected,triage,") {
		t.Errorf("the audit from Temporal lacks AdminMFAV2's triage:\n%s", audit)
	}
	e.stop(t)
}
