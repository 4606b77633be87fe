package otelcoltest

import (
	"testing"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

func TestAddContext(t *testing.T) {
	src := NewSpanSource(1)
	rs, _ := src.Batch(20)
	src.AddContext(rs, 4096)
	texts := map[string]bool{}
	for _, span := range spansOf(rs) {
		text := contextOf(span)
		if len(text) < 4096 || len(text) > 4096+200 {
			t.Errorf("span %q: %d bytes of context, want about 4096", span.Name, len(text))
		}
		texts[text] = true
	}
	if len(texts) != 20 {
		t.Errorf("%d different contexts on 20 spans: each span should have its own", len(texts))
	}
	// The attributes a source shares between its spans are left alone.
	next, _ := src.Batch(20)
	for _, span := range spansOf(next) {
		if text := contextOf(span); text != "" {
			t.Fatalf("a later span %q has the context of an earlier one", span.Name)
		}
	}
}

func spansOf(rs *tracepb.ResourceSpans) []*tracepb.Span {
	var out []*tracepb.Span
	for _, ss := range rs.ScopeSpans {
		out = append(out, ss.Spans...)
	}
	return out
}

func contextOf(span *tracepb.Span) string {
	for _, kv := range span.Attributes {
		if kv.Key == RAGContextKey {
			return kv.Value.GetStringValue()
		}
	}
	return ""
}
