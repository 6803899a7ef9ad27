package main

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkCodecCost measures what payload encryption (temporal.encryption)
// costs: the largest onboarding's rate and CPU, and a decision's latency
// with 8,000 open recommendations, with payloads in plain text and
// encrypted, twice in turn on fresh databases, the best of each. Reproduce
// the figures of BENCHMARKS.md with
//
//	go test ./worker -run '^$' -bench CodecCost -benchtime 1x -timeout 60m
func BenchmarkCodecCost(b *testing.B) {
	tenants := benchSizes(b)[len(benchSizes(b))-1]
	type result struct{ rate, cpu, p99 float64 }
	best := map[bool]result{}
	for i, encrypted := range []bool{false, true, false, true} {
		name := map[bool]string{false: "plain", true: "encrypted"}[encrypted]
		b.Run(fmt.Sprintf("tenants=%d/pair=%d/payloads=%s", tenants, i/2+1, name), func(b *testing.B) {
			e := newBenchEnv(b, tenants)
			size := sizing{stickyCache: defaults.stickyCache}
			if encrypted {
				size.payloadKeys = filepath.Join(e.dir, "payload-keys")
				writePayloadKeys(b, size.payloadKeys, "bench-1")
			}
			e.start(b, e.writeConfig(b, "codec-"+name, "", filepath.Join(e.dir, "temporal.db"), size), size)
			rate, cpu := e.fanOut(b, false)
			_, p99 := e.decisionLatency(b, 200)
			b.ReportMetric(rate, "workflows/s")
			b.ReportMetric(cpu, "cpu_ms/workflow")
			b.ReportMetric(p99, "ms_p99")
			if previous, measured := best[encrypted]; measured {
				rate, cpu, p99 = max(rate, previous.rate), min(cpu, previous.cpu), min(p99, previous.p99)
			}
			best[encrypted] = result{rate, cpu, p99}
			if encrypted {
				b.ReportMetric(best[true].rate/best[false].rate, "x_plain_best")
				b.ReportMetric(best[false].cpu/best[true].cpu, "x_plain_best_cpu")
				b.ReportMetric(best[true].p99/best[false].p99, "x_plain_best_p99")
			}
			e.stop(b)
		})
	}
}
