// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestClassifySpan(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]any
		want  Class
	}{
		{"semconv chat", map[string]any{"gen_ai.operation.name": "chat"}, ClassLLM},
		{"semconv text completion", map[string]any{"gen_ai.operation.name": "text_completion"}, ClassLLM},
		{"semconv gemini", map[string]any{"gen_ai.operation.name": "generate_content"}, ClassLLM},
		{"semconv embeddings", map[string]any{"gen_ai.operation.name": "embeddings"}, ClassLLM},
		{"semconv tool", map[string]any{"gen_ai.operation.name": "execute_tool", "gen_ai.request.model": "m"}, ClassOther},
		{"semconv agent", map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.request.model": "m"}, ClassWrapper},
		{"semconv create agent", map[string]any{"gen_ai.operation.name": "create_agent"}, ClassWrapper},
		{"semconv unknown operation with a model", map[string]any{"gen_ai.operation.name": "rerank", "gen_ai.provider.name": "cohere", "gen_ai.request.model": "m"}, ClassLLM},
		{"semconv unknown operation", map[string]any{"gen_ai.operation.name": "rerank"}, ClassOther},
		{"older semconv: system and model", map[string]any{"gen_ai.system": "openai", "gen_ai.request.model": "m"}, ClassLLM},
		{"system alone", map[string]any{"gen_ai.system": "openai"}, ClassOther},
		{"openllmetry request type", map[string]any{"llm.request.type": "chat"}, ClassLLM},
		{"openllmetry workflow", map[string]any{"traceloop.span.kind": "workflow", "traceloop.association.properties.Helicone-User-Id": "u"}, ClassWrapper},
		{"openllmetry task", map[string]any{"traceloop.span.kind": "task"}, ClassWrapper},
		{"openllmetry agent", map[string]any{"traceloop.span.kind": "agent"}, ClassWrapper},
		{"openllmetry tool", map[string]any{"traceloop.span.kind": "tool"}, ClassOther},
		{"openinference llm", map[string]any{"openinference.span.kind": "LLM"}, ClassLLM},
		{"openinference embedding", map[string]any{"openinference.span.kind": "EMBEDDING"}, ClassLLM},
		{"openinference chain", map[string]any{"openinference.span.kind": "CHAIN", "llm.model_name": "m"}, ClassWrapper},
		{"openinference agent", map[string]any{"openinference.span.kind": "AGENT"}, ClassWrapper},
		{"openinference tool", map[string]any{"openinference.span.kind": "TOOL"}, ClassOther},
		{"openinference retriever", map[string]any{"openinference.span.kind": "RETRIEVER"}, ClassOther},
		{"vercel generate", map[string]any{"ai.operationId": "ai.generateText.doGenerate", "gen_ai.system": "openai.chat"}, ClassLLM},
		{"vercel stream", map[string]any{"ai.operationId": "ai.streamText.doStream"}, ClassLLM},
		{"vercel object", map[string]any{"ai.operationId": "ai.generateObject.doGenerate"}, ClassLLM},
		{"vercel embed many", map[string]any{"ai.operationId": "ai.embedMany.doEmbed"}, ClassLLM},
		{"vercel wrapper", map[string]any{"ai.operationId": "ai.generateText", "ai.model.id": "m"}, ClassWrapper},
		{"vercel embed wrapper", map[string]any{"ai.operationId": "ai.embed"}, ClassWrapper},
		{"vercel tool call", map[string]any{"ai.operationId": "ai.toolCall"}, ClassOther},
		{"strands cycle", map[string]any{"gen_ai.operation.name": "execute_event_loop_cycle", "gen_ai.provider.name": "strands-agents", "gen_ai.request.model": "m", "event_loop.cycle_id": "c"}, ClassWrapper},
		{"strands swarm", map[string]any{"gen_ai.operation.name": "invoke_swarm", "gen_ai.system": "strands-agents", "gen_ai.request.model": "m"}, ClassWrapper},
		{"strands agent, legacy", map[string]any{"gen_ai.system": "strands-agents", "gen_ai.agent.name": "a", "gen_ai.request.model": "m", "event_loop.cycle_id": "c"}, ClassWrapper},
		{"pydantic-ai agent run, v1", map[string]any{"gen_ai.system": "openai", "gen_ai.request.model": "m", "pydantic_ai.all_messages": "[]", "agent_name": "a"}, ClassWrapper},
		{"pydantic-ai aggregated usage", map[string]any{"gen_ai.system": "openai", "gen_ai.request.model": "m", "gen_ai.aggregated_usage.input_tokens": 3}, ClassWrapper},
		{"logfire request", map[string]any{"logfire.span_type": "span", "gen_ai.system": "openai", "gen_ai.request.model": "m", "request_data": "{}"}, ClassLLM},
		{"logfire stream log", map[string]any{"logfire.span_type": "log", "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "m"}, ClassOther},
		{"logfire pending span", map[string]any{"logfire.span_type": "pending_span", "gen_ai.system": "openai", "gen_ai.request.model": "m"}, ClassOther},
		{"http", map[string]any{"http.request.method": "POST"}, ClassOther},
		{"database", map[string]any{"db.system.name": "postgresql", "traceloop.association.properties.Helicone-User-Id": "u"}, ClassOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pcommon.NewMap()
			require.NoError(t, m.FromRaw(tt.attrs))
			assert.Equal(t, tt.want, Classify(m))
		})
	}
}
