// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
	"github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"
)

// BenchmarkGenAIMap encodes with the default GenAI mapping, and with
// attributes.send: helicone, the LLM spans of the corpora and of each fixture
// (fixtures repeated to 1000 spans). It reports the body size per span, so that the
// bytes saved by attributes.send: helicone can be read off.
func BenchmarkGenAIMap(b *testing.B) {
	corpora := []struct {
		name string
		td   ptrace.Traces
	}{{name: "llm_1000", td: llmTraces(1000, 2000)}}
	for _, fx := range genaiFixtures {
		td := readFixture(b, filepath.Join("..", "testdata", "genai", fx.file))
		corpora = append(corpora, struct {
			name string
			td   ptrace.Traces
		}{name: strings.TrimSuffix(fx.file, ".traces.json"), td: repeatSpans(td, 1000)})
	}
	for _, c := range corpora {
		td := ptrace.NewTraces()
		c.td.CopyTo(td)
		cfg := createDefaultConfig().(*Config)
		cfg.selector().Select(td)
		refs := heliconebody.AppendRefs(nil, td)
		for _, send := range []AttributesSend{SendAll, SendHelicone} {
			cfg.Attributes.Send = send
			mapper := genai.NewMapper(cfg.mappingSettings())
			enc := heliconebody.NewEncoder(send == SendHelicone)
			body, _ := enc.Fill(nil, td, refs, mapper.Map(td).Spans, math.MaxInt)
			b.Run(c.name+"/send="+string(send), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					body, _ = enc.Fill(body[:0], td, refs, mapper.Map(td).Spans, math.MaxInt)
				}
				b.ReportMetric(float64(len(body))/float64(len(refs)), "body_B/span")
			})
		}
	}
}

// repeatSpans copies the resource spans of td until they hold at least n spans.
func repeatSpans(td ptrace.Traces, n int) ptrace.Traces {
	out := ptrace.NewTraces()
	for out.SpanCount() < n {
		for i := 0; i < td.ResourceSpans().Len(); i++ {
			td.ResourceSpans().At(i).CopyTo(out.ResourceSpans().AppendEmpty())
		}
	}
	return out
}
