package workflows

import (
	"testing"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// The lifecycle's tables and the workflow's dispatch cannot drift apart:
// every verdict and every decision has a step, and nothing else does.
func TestEveryVerdictAndDecisionHasAStep(t *testing.T) {
	for _, v := range lifecycle.Verdicts() {
		if verdictSteps[v] == nil {
			t.Errorf("the verdict %s has no step", v)
		}
	}
	if len(verdictSteps) != len(lifecycle.Verdicts()) {
		t.Errorf("%d verdict steps for %d verdicts", len(verdictSteps), len(lifecycle.Verdicts()))
	}
	for _, d := range lifecycle.Decisions() {
		if decisionSteps[d] == nil {
			t.Errorf("the decision %s has no step", d)
		}
	}
	if len(decisionSteps) != len(lifecycle.Decisions()) {
		t.Errorf("%d decision steps for %d decisions", len(decisionSteps), len(lifecycle.Decisions()))
	}
}
