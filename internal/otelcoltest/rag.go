package otelcoltest

import (
	"strings"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// RAGContextKey is the attribute AddContext puts on spans: the documents a
// retrieval step put into the prompt.
const RAGContextKey = "rag.context"

// AddContext gives every span of rs a RAGContextKey attribute of about n
// bytes of its own text, as LLM calls with retrieved documents in the prompt
// carry. Such spans are what make a queued batch bigger than one request to
// Helicone (max_request_size), so that the exporter splits it.
func (s *SpanSource) AddContext(rs *tracepb.ResourceSpans, n int) {
	for _, ss := range rs.ScopeSpans {
		for _, span := range ss.Spans {
			var b strings.Builder
			for b.Len() < n {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(s.sentence())
			}
			// The attributes are shared with other spans: append to a copy.
			span.Attributes = append(span.Attributes[:len(span.Attributes):len(span.Attributes)], &commonpb.KeyValue{
				Key: RAGContextKey, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: b.String()}},
			})
		}
	}
}
