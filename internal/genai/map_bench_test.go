// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// benchCorpora are 1,000-span batches of LLM calls, as the exporter maps them: the
// demo's chats in OpenLLMetry attributes, in the GenAI conventions, mixed three to
// one (the load of make bench), and the recorded fixtures of each convention.
func benchCorpora(b *testing.B) []struct {
	name string
	td   ptrace.Traces
} {
	var chats []llmspans.Chat
	for _, r := range llmspans.Demo() {
		chats = append(chats, r.Chats()...)
	}
	conv := func(c llmspans.Convention) func(int) llmspans.Convention {
		return func(int) llmspans.Convention { return c }
	}
	out := []struct {
		name string
		td   ptrace.Traces
	}{
		{"openllmetry", chatTraces(chats, conv(llmspans.OpenLLMetry))},
		{"semconv", chatTraces(chats, conv(llmspans.GenAISemconv))},
		{"mixed", chatTraces(chats, func(i int) llmspans.Convention {
			if i%4 == 3 {
				return llmspans.GenAISemconv
			}
			return llmspans.OpenLLMetry
		})},
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "genai", "*.traces.json"))
	require.NoError(b, err)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(b, err)
		fx, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
		require.NoError(b, err)
		NewSelector(false, nil, true).Select(fx) // the exporter maps what it selected
		td := ptrace.NewTraces()
		for td.SpanCount() < 1000 {
			for _, rs := range fx.ResourceSpans().All() {
				rs.CopyTo(td.ResourceSpans().AppendEmpty())
			}
		}
		out = append(out, struct {
			name string
			td   ptrace.Traces
		}{strings.TrimSuffix(filepath.Base(f), ".traces.json"), td})
	}
	return out
}

// chatTraces is a batch of 1,000 chat spans, the chats repeated, the i-th in
// convention conv(i).
func chatTraces(chats []llmspans.Chat, conv func(int) llmspans.Convention) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "support-api")
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	for i := range 1000 {
		c := chats[i%len(chats)]
		c.Convention = conv(i)
		span := spans.AppendEmpty()
		span.SetName(c.SpanName())
		span.SetTraceID(pcommon.TraceID{1, byte(i >> 8), byte(i)})
		span.SetSpanID(pcommon.SpanID{2, byte(i >> 8), byte(i)})
		for _, kv := range c.Attributes() {
			putAttr(span.Attributes(), kv)
		}
	}
	return td
}

func putAttr(m pcommon.Map, kv attribute.KeyValue) {
	k := string(kv.Key)
	switch kv.Value.Type() {
	case attribute.INT64:
		m.PutInt(k, kv.Value.AsInt64())
	case attribute.FLOAT64:
		m.PutDouble(k, kv.Value.AsFloat64())
	case attribute.BOOL:
		m.PutBool(k, kv.Value.AsBool())
	case attribute.STRINGSLICE:
		s := m.PutEmptySlice(k)
		for _, v := range kv.Value.AsStringSlice() {
			s.AppendEmpty().SetStr(v)
		}
	default:
		m.PutStr(k, kv.Value.Emit())
	}
}

// BenchmarkMap maps each corpus with the exporter's default settings.
func BenchmarkMap(b *testing.B) {
	settings := Settings{MaxContent: 5 << 20 / 4, Sessions: true,
		FromAttributes: map[string]string{"service.name": "Service", "deployment.environment.name": "Environment", "deployment.environment": "Environment"}}
	for _, c := range benchCorpora(b) {
		b.Run(c.name, func(b *testing.B) {
			m := NewMapper(settings)
			m.Map(c.td)
			b.ReportAllocs()
			for b.Loop() {
				m.Map(c.td)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.td.SpanCount()), "ns/span")
		})
	}
}

// BenchmarkSelect classifies each corpus (all LLM calls: none is removed).
func BenchmarkSelect(b *testing.B) {
	sel := NewSelector(false, nil, true)
	for _, c := range benchCorpora(b) {
		b.Run(c.name, func(b *testing.B) {
			sel.Select(c.td)
			b.ReportAllocs()
			for b.Loop() {
				sel.Select(c.td)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.td.SpanCount()), "ns/span")
		})
	}
}
