package main

import (
	"net/http"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// sdkStep is one of the SDK's latency histograms on a worker's /metrics,
// narrowed to one label's value: a step of a decision's way from the
// click to its RFC.
type sdkStep struct {
	name, metric, label, value string
}

// decisionPath are the steps a decision takes on a worker. The workflow
// task's wait, run and reply are counted for the sweep's recommendations
// too, which share the queue with the decisions: their means are of both.
var decisionPath = []sdkStep{
	{"update_call", "temporal_long_request_latency_seconds", "operation", "UpdateWorkflowExecution"},
	{"workflow_task_wait", "temporal_workflow_task_schedule_to_start_latency_seconds", "workflow_type", "RecommendationWorkflow"},
	{"workflow_task_run", "temporal_workflow_task_execution_latency_seconds", "workflow_type", "RecommendationWorkflow"},
	{"store_write", "temporal_local_activity_execution_latency_seconds", "activity_type", "RecordTransitions"},
	{"workflow_task_reply", "temporal_request_latency_seconds", "operation", "RespondWorkflowTaskCompleted"},
	{"rfc_activity", "temporal_activity_execution_latency_seconds", "activity_type", "OpenRFCTicket"},
}

// stepTotals are a histogram's sum (seconds) and count, per step.
type stepTotals map[string][2]float64

// scrapeSteps reads the decision's steps from the workers' /metrics,
// summed over the workers.
func scrapeSteps(b *testing.B, gateways []string) stepTotals {
	totals := stepTotals{}
	for _, gateway := range gateways {
		resp, err := http.Get("http://" + gateway + "/metrics")
		if err != nil {
			b.Fatal(err)
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		for _, step := range decisionPath {
			family := families[step.metric]
			if family == nil {
				continue
			}
			for _, m := range family.GetMetric() {
				if hasLabel(m, step.label, step.value) {
					t := totals[step.name]
					totals[step.name] = [2]float64{t[0] + m.GetHistogram().GetSampleSum(), t[1] + float64(m.GetHistogram().GetSampleCount())}
				}
			}
		}
	}
	return totals
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}

// reportStepMeans reports each step's mean in milliseconds, and how many
// it counted, between two scrapes.
func reportStepMeans(b *testing.B, before, after stepTotals) {
	for _, step := range decisionPath {
		sum, count := after[step.name][0]-before[step.name][0], after[step.name][1]-before[step.name][1]
		if count > 0 {
			b.ReportMetric(1000*sum/count, "ms_mean_"+step.name)
			b.ReportMetric(count, "n_"+step.name)
		}
	}
}
