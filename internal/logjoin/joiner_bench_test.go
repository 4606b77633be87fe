package logjoin

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// BenchmarkJoin measures what the join costs a batch of 100 spans, against
// copying that batch once (the baseline, in the same run): when no span waits
// (every span of a traces pipeline without GenAI log records), and when every
// span waits and is completed by its two records.
func BenchmarkJoin(b *testing.B) {
	spans := make([]func(ptrace.Span), 100)
	var recs []record
	for i := range spans {
		spans[i] = chatSpan(byte(i + 1))
		recs = append(recs, userMessage(byte(i+1), "What is OpenTelemetry?", 1), choice(byte(i+1), "A set of APIs.", 2))
	}
	waiting := traces(spans...)
	withContent := traces(spans...)
	for _, rs := range withContent.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, s := range ss.Spans().All() {
				s.Attributes().PutStr("gen_ai.input.messages", `[{"role":"user","parts":[]}]`)
			}
		}
	}
	ld := logs(recs...)

	b.Run("baseline_copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			withContent.CopyTo(ptrace.NewTraces())
		}
	})
	b.Run("nothing_waits", func(b *testing.B) {
		j := newJoiner(b, newClock(), nil)
		b.ReportAllocs()
		for b.Loop() {
			if j.AddTraces(withContent).SpanCount() != 100 {
				b.Fatal("a span with content waited")
			}
		}
	})
	b.Run("all_join", func(b *testing.B) {
		j := newJoiner(b, newClock(), nil)
		b.ReportAllocs()
		for b.Loop() {
			j.AddTraces(waiting)
			if j.AddLogs(ld).SpanCount() != 100 {
				b.Fatal("records did not complete their spans")
			}
		}
	})
}
