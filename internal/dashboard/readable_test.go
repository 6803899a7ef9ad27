package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
	"github.com/scoreflow/scoreflow/internal/texts"
)

// What a customer reads names no internal code: every stage has a name in
// each language, a state scoreflow set in Graph is scoreflow's (not its
// app's id), and a detection is one row, not a row from no stage at all.
func TestTheCustomerPagesNameNoInternalCode(t *testing.T) {
	jargon := map[lifecycle.Stage]bool{lifecycle.StageTriage: true, lifecycle.StageRFC: true}
	for _, language := range texts.Languages {
		words := texts.For(language)
		for _, stage := range lifecycle.AllStages {
			name := words.CustomerStage(stage)
			if strings.Contains(name, "_") || (jargon[stage] && strings.EqualFold(name, string(stage))) {
				t.Errorf("%s: the stage %s reads %q", language, stage, name)
			}
		}
	}
	h := newHarness(t)
	day := h.now.AddDate(0, 0, -2)
	updates := []store.StateUpdate{{ControlID: "AdminMFAV2", At: day, State: "Ignored", By: "msp-app", Comment: "Risk accepted"}}
	if err := h.data.RecordDays(context.Background(), "contoso", nil, nil, updates); err != nil {
		t.Fatal(err)
	}
	client := h.browser(true)
	_, body := h.signIn(client, chrisAt)
	if strings.Contains(body, "msp-app") || !strings.Contains(body, "state set to Ignored by scoreflow") {
		t.Error("Graph's record of scoreflow's state write names the app's id, not scoreflow")
	}
	if strings.Contains(body, "<td> → ") {
		t.Error("a change row starts from no stage")
	}
	if !strings.Contains(body, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC).Format("2 January 2006")) {
		t.Error("the state update's row is missing")
	}
}
