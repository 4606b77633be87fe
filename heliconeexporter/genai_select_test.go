package heliconeexporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

func TestClassifySpan(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]any
		want  spanClass
	}{
		{"semconv chat", map[string]any{"gen_ai.operation.name": "chat"}, classLLM},
		{"semconv text completion", map[string]any{"gen_ai.operation.name": "text_completion"}, classLLM},
		{"semconv gemini", map[string]any{"gen_ai.operation.name": "generate_content"}, classLLM},
		{"semconv embeddings", map[string]any{"gen_ai.operation.name": "embeddings"}, classLLM},
		{"semconv tool", map[string]any{"gen_ai.operation.name": "execute_tool", "gen_ai.request.model": "m"}, classOther},
		{"semconv agent", map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.request.model": "m"}, classWrapper},
		{"semconv create agent", map[string]any{"gen_ai.operation.name": "create_agent"}, classWrapper},
		{"semconv unknown operation with a model", map[string]any{"gen_ai.operation.name": "rerank", "gen_ai.provider.name": "cohere", "gen_ai.request.model": "m"}, classLLM},
		{"semconv unknown operation", map[string]any{"gen_ai.operation.name": "rerank"}, classOther},
		{"older semconv: system and model", map[string]any{"gen_ai.system": "openai", "gen_ai.request.model": "m"}, classLLM},
		{"system alone", map[string]any{"gen_ai.system": "openai"}, classOther},
		{"openllmetry request type", map[string]any{"llm.request.type": "chat"}, classLLM},
		{"openllmetry workflow", map[string]any{"traceloop.span.kind": "workflow", "traceloop.association.properties.Helicone-User-Id": "u"}, classWrapper},
		{"openllmetry task", map[string]any{"traceloop.span.kind": "task"}, classWrapper},
		{"openllmetry agent", map[string]any{"traceloop.span.kind": "agent"}, classWrapper},
		{"openllmetry tool", map[string]any{"traceloop.span.kind": "tool"}, classOther},
		{"openinference llm", map[string]any{"openinference.span.kind": "LLM"}, classLLM},
		{"openinference embedding", map[string]any{"openinference.span.kind": "EMBEDDING"}, classLLM},
		{"openinference chain", map[string]any{"openinference.span.kind": "CHAIN", "llm.model_name": "m"}, classWrapper},
		{"openinference agent", map[string]any{"openinference.span.kind": "AGENT"}, classWrapper},
		{"openinference tool", map[string]any{"openinference.span.kind": "TOOL"}, classOther},
		{"openinference retriever", map[string]any{"openinference.span.kind": "RETRIEVER"}, classOther},
		{"vercel generate", map[string]any{"ai.operationId": "ai.generateText.doGenerate", "gen_ai.system": "openai.chat"}, classLLM},
		{"vercel stream", map[string]any{"ai.operationId": "ai.streamText.doStream"}, classLLM},
		{"vercel object", map[string]any{"ai.operationId": "ai.generateObject.doGenerate"}, classLLM},
		{"vercel embed many", map[string]any{"ai.operationId": "ai.embedMany.doEmbed"}, classLLM},
		{"vercel wrapper", map[string]any{"ai.operationId": "ai.generateText", "ai.model.id": "m"}, classWrapper},
		{"vercel embed wrapper", map[string]any{"ai.operationId": "ai.embed"}, classWrapper},
		{"vercel tool call", map[string]any{"ai.operationId": "ai.toolCall"}, classOther},
		{"http", map[string]any{"http.request.method": "POST"}, classOther},
		{"database", map[string]any{"db.system.name": "postgresql", "traceloop.association.properties.Helicone-User-Id": "u"}, classOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pcommon.NewMap()
			require.NoError(t, m.FromRaw(tt.attrs))
			assert.Equal(t, tt.want, classifySpan(m))
		})
	}
}

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
		{"only the innermost LLM call", SpansConfig{Export: exportLLM}, []string{"OpenAI Chat Completions"}, 3, 2},
		{"include by name", SpansConfig{Export: exportLLM, Include: []SpanMatch{{Name: "my.llm.*"}}}, []string{"OpenAI Chat Completions", "my.llm.call"}, 2, 2},
		{"include by attribute", SpansConfig{Export: exportLLM, Include: []SpanMatch{{Attribute: "my.llm.model"}}}, []string{"OpenAI Chat Completions", "my.llm.call"}, 2, 2},
		{"include needs every field", SpansConfig{Export: exportLLM, Include: []SpanMatch{{Name: "my.*", Attribute: "other"}}}, []string{"OpenAI Chat Completions"}, 3, 2},
		{"include keeps a wrapper", SpansConfig{Export: exportLLM, Include: []SpanMatch{{Name: "ai.generateText"}}}, []string{"OpenAI Chat Completions", "ai.generateText"}, 3, 1},
		{"all", SpansConfig{Export: exportAll}, []string{"POST /chat", "ChatOpenAI", "OpenAI Chat Completions", "get_weather", "ai.generateText", "my.llm.call"}, 0, 0},
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
