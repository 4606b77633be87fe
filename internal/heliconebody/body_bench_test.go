// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import (
	"math"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// BenchmarkEncode compares the Helicone encoder with pdata's own OTLP/JSON marshaler
// on the same spans, in the same run. Both report MB/s over the Helicone body's size,
// so the MB/s ratio is the speed ratio. Target: at least 3x, 0 allocs/op.
func BenchmarkEncode(b *testing.B) {
	corpora := []struct {
		name string
		td   ptrace.Traces
	}{
		{name: "llm_1000", td: llmCorpus(1000, realisticPrompt)},
		{name: "llm_dense_1000", td: llmCorpus(1000, densePrompt)},
		{name: "small_1000", td: smallCorpus(1000)},
	}
	for _, c := range corpora {
		enc := new(Encoder)
		refs := AppendRefs(nil, c.td)
		body, _ := enc.Fill(nil, c.td, refs, nil, math.MaxInt)
		size := int64(len(body))

		b.Run(c.name+"/helicone", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				body, _ = enc.Fill(body[:0], c.td, refs, nil, math.MaxInt)
			}
		})
		b.Run(c.name+"/pdata_json", func(b *testing.B) {
			marshaler := &ptrace.JSONMarshaler{}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := marshaler.MarshalTraces(c.td); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
