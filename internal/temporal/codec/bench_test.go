package codec

import (
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// BenchmarkEncode is the codec's cost, encrypting and decrypting one
// payload the size of a recommendation's start (its observation and
// pre-assessment, about 2 KB), beside the baseline of copying it through
// protobuf, which the codec does too.
func BenchmarkEncode(b *testing.B) {
	payload, err := converter.GetDefaultDataConverter().ToPayload(strings.Repeat("a recommendation's facts ", 80))
	if err != nil {
		b.Fatal(err)
	}
	var baseline float64
	b.Run("protobuf-copy", func(b *testing.B) {
		for b.Loop() {
			raw, _ := proto.Marshal(payload)
			_ = proto.Unmarshal(raw, &commonpb.Payload{})
		}
		baseline = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("codec", func(b *testing.B) {
		c := New(mustKeys(b, newKey(b, "k1")))
		payloads := []*commonpb.Payload{payload}
		for b.Loop() {
			encoded, err := c.Encode(payloads)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Decode(encoded); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/baseline, "x_protobuf_copy")
	})
}
