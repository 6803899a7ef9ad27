package main

import (
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/lifecycle"
)

// A worker (with its embedded server) killed after Jira created a ticket but
// before the activity completed: after a restart the retried activity finds
// the ticket instead of opening a second one.
func TestWorkerKilledBetweenTicketCreatedAndActivityCompletedOpensOneTicket(t *testing.T) {
	e := startE2E(t, true)
	var once sync.Once
	killed := make(chan string, 1)
	e.jiraSim.AfterCreate = func(key string) {
		once.Do(func() {
			_ = e.worker.cmd.Process.Signal(syscall.SIGKILL)
			<-e.worker.done
			killed <- key
		})
	}
	// Only one control is open, so exactly one ticket is due.
	for _, p := range e.contoso.Profiles {
		if p.ID != "AdminMFAV2" {
			e.graphSim.SetState(e.contoso.AzureTenantID, p.ID, "ThirdParty", "admin@contoso")
		}
	}
	sweep(t, e.setup.configPath)
	var first string
	select {
	case first = <-killed:
	case <-time.After(time.Minute):
		t.Fatal("the ticket was never created")
	}
	e.jiraSim.AfterCreate = nil

	// Restart on the same database; the activity is retried after its start-to-close timeout.
	e.worker = startWorkerProcess(t, e.setup.env, "--config", e.setup.configPath)
	e.worker.waitHealthy(t, e.setup.gateway())
	waitStage(t, e.ctx, e.client, "AdminMFAV2", lifecycle.StageTriage)
	if st := state(t, e.ctx, e.client, "AdminMFAV2"); st.TicketKey != first {
		t.Errorf("the workflow holds ticket %s, the first attempt created %s", st.TicketKey, first)
	}
	if n := len(e.jiraSim.Issues()); n != 1 || e.jiraSim.Creates() != 1 {
		t.Errorf("Jira has %d tickets after %d creates, want exactly 1", n, e.jiraSim.Creates())
	}
	e.stop(t)
}
