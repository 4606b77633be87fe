package heliconeexporter

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// BenchmarkGenAIMap encodes with the default GenAI mapping, and with
// attributes.send: helicone, the LLM spans of the corpora and of each fixture
// (fixtures repeated to 1000 spans). It reports the body size per span, so that the
// bytes saved by attributes.send: helicone can be read off.
func BenchmarkGenAIMap(b *testing.B) {
	corpora := []struct {
		name string
		td   ptrace.Traces
	}{{name: "llm_1000", td: llmCorpus(1000, realisticPrompt)}}
	for _, fx := range genaiFixtures {
		td := readFixture(b, filepath.Join("..", "testdata", "genai", fx.file))
		corpora = append(corpora, struct {
			name string
			td   ptrace.Traces
		}{name: strings.TrimSuffix(fx.file, ".traces.json"), td: repeatSpans(td, 1000)})
	}
	for _, c := range corpora {
		for _, send := range []string{sendAll, sendHelicone} {
			cfg := createDefaultConfig().(*Config)
			cfg.Attributes.Send = send
			exp := &heliconeExporter{selector: newSpanSelector(cfg.Spans)}
			enc := &encoder{mapping: newGenaiSettings(cfg)}
			refs := llmRefs(exp, c.td, enc)
			body, _ := enc.fill(nil, c.td, refs, math.MaxInt)
			b.Run(c.name+"/send="+send, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					body, _ = enc.fill(body[:0], c.td, refs, math.MaxInt)
				}
				b.ReportMetric(float64(len(body))/float64(len(refs)), "body_B/span")
			})
		}
	}
}

// llmRefs selects the LLM spans as a push does, without counting.
func llmRefs(e *heliconeExporter, td ptrace.Traces, enc *encoder) []spanRef {
	var refs []spanRef
	for _, r := range collectSpans(td, nil) {
		span := td.ResourceSpans().At(r.rs).ScopeSpans().At(r.ss).Spans().At(r.span)
		if classifySpan(span.Attributes()) == classLLM {
			refs = append(refs, r)
		}
	}
	return refs
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
