// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// selectionTraces holds one trace: an HTTP span around a framework LLM span around
// the provider SDK's LLM span, a tool span, and a Vercel wrapper.
func selectionTraces() ptrace.Traces {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	add := func(id, parent byte, name string, attrs map[string]any) {
		s := spans.AppendEmpty()
		s.SetTraceID(pcommon.TraceID{9})
		s.SetSpanID(pcommon.SpanID{id})
		if parent != 0 {
			s.SetParentSpanID(pcommon.SpanID{parent})
		}
		s.SetName(name)
		_ = s.Attributes().FromRaw(attrs)
	}
	add(1, 0, "POST /chat", map[string]any{"http.request.method": "POST"})
	add(2, 1, "ChatOpenAI", map[string]any{"openinference.span.kind": "LLM"})
	add(3, 2, "OpenAI Chat Completions", map[string]any{"openinference.span.kind": "LLM"})
	add(4, 1, "get_weather", map[string]any{"openinference.span.kind": "TOOL"})
	add(5, 1, "ai.generateText", map[string]any{"ai.operationId": "ai.generateText"})
	add(6, 1, "my.llm.call", map[string]any{"my.llm.model": "m"})
	return td
}

func TestSelectSpans(t *testing.T) {
	tests := []struct {
		name            string
		spans           SpansConfig
		sent            []string
		notLLM, wrapper int64
	}{
		{"only the innermost LLM call", SpansConfig{Export: ExportLLM}, []string{"OpenAI Chat Completions"}, 3, 2},
		{"include by name", SpansConfig{Export: ExportLLM, Include: []SpanMatch{{Name: "my.llm.*"}}}, []string{"OpenAI Chat Completions", "my.llm.call"}, 2, 2},
		{"include by attribute", SpansConfig{Export: ExportLLM, Include: []SpanMatch{{Attribute: "my.llm.model"}}}, []string{"OpenAI Chat Completions", "my.llm.call"}, 2, 2},
		{"include needs every field", SpansConfig{Export: ExportLLM, Include: []SpanMatch{{Name: "my.*", Attribute: "other"}}}, []string{"OpenAI Chat Completions"}, 3, 2},
		{"include keeps a wrapper", SpansConfig{Export: ExportLLM, Include: []SpanMatch{{Name: "ai.generateText"}}}, []string{"OpenAI Chat Completions", "ai.generateText"}, 3, 1},
		{"all", SpansConfig{Export: ExportAll}, []string{"POST /chat", "ChatOpenAI", "OpenAI Chat Completions", "get_weather", "ai.generateText", "my.llm.call"}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, helicone.Options{}, func(cfg *Config) { cfg.Spans = tt.spans })
			require.NoError(t, h.exp.ConsumeTraces(t.Context(), selectionTraces()))
			var sent []string
			for _, c := range h.server.Calls() {
				sent = append(sent, c.SpanName)
			}
			assert.Equal(t, tt.sent, sent)
			assert.Equal(t, tt.notLLM, h.droppedSpans(t, "not_llm"))
			assert.Equal(t, tt.wrapper, h.droppedSpans(t, "wrapper"))
		})
	}
}

func TestSelectSpansNothingToSend(t *testing.T) {
	h := newHarness(t, helicone.Options{}, nil)
	td := ptrace.NewTraces()
	td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().SetName("GET /health")
	require.NoError(t, h.exp.ConsumeTraces(t.Context(), td))
	assert.Zero(t, h.server.Attempts(), "no request for a batch without LLM calls")
	assert.Equal(t, int64(1), h.droppedSpans(t, "not_llm"))
	assert.NotContains(t, h.allLogText(), "GET /health", "dropped spans are counted, not logged one by one")
}

func TestSelectionHappensBeforeTheQueue(t *testing.T) {
	h := newHarness(t, helicone.Options{}, nil)
	require.NoError(t, h.exp.ConsumeTraces(t.Context(), selectionTraces()))
	require.Len(t, h.server.Calls(), 1)
	m, err := h.telemetry.GetMetric("otelcol_exporter_sent_spans")
	require.NoError(t, err)
	var sent int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		sent += dp.Value
	}
	assert.Equal(t, int64(1), sent, "the collector counts as sent only the span Helicone logged, not the 5 dropped")
	assert.True(t, h.exp.Capabilities().MutatesData, "the selection removes spans from the batch")
}
