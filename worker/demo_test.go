package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/scoreflow/scoreflow/lifecycle"
	"github.com/scoreflow/scoreflow/operator"
)

// The README's walkthrough, as a new user runs it: the demo on a fresh data
// dir, then `starter demo` commands playing the specialist and the customer.
func TestDemoWalkthrough(t *testing.T) {
	demo := startWorkerProcess(t, nil, "--demo", "--data", t.TempDir())
	demo.waitHealthy(t, demoGateway)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := client.Dial(client.Options{HostPort: "127.0.0.1:7233"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	play := func(args ...string) {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := operator.Run(append([]string{"demo"}, args...), &out, &errOut); code != 0 {
			t.Fatalf("starter demo %v: exit %d: %s", args, code, errOut.String())
		}
		t.Logf("starter demo %s: %s", strings.Join(args, " "), strings.TrimSpace(out.String()))
	}
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageTriage)
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageTriage)

	play("move", "AdminMFAV2", "Needs Change")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageAssessment)
	play("move", "AdminMFAV2", "Critical Decision")
	waitFor(t, ctx, func() bool { return state(t, ctx, c, "AdminMFAV2").DecisionMessage != nil })
	play("click", "AdminMFAV2", "accept_risk", "--reason", "legacy admin tooling")
	waitStage(t, ctx, c, "AdminMFAV2", lifecycle.StageRiskAccepted)

	play("move", "RoleOverlap", "Needs Change")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageAssessment)
	play("move", "RoleOverlap", "No Impact")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StagePlanned)
	play("move", "RoleOverlap", "Implemented")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageAwaitingDetection)
	play("detect", "RoleOverlap")
	waitStage(t, ctx, c, "RoleOverlap", lifecycle.StageCompleted)

	if !strings.Contains(demo.output.String(), "starter demo move AdminMFAV2") {
		t.Error("the demo did not say what to try next")
	}
	demo.stop(t)
}
