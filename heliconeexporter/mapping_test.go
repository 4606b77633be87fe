// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"
)

// genaiSpan is one span to map: its attributes and events, and its resource's attributes.
type genaiSpan struct {
	attrs    map[string]any
	resource map[string]any
	events   []genaiEvent
}

type genaiEvent struct {
	name  string
	attrs map[string]any
}

// mapOne maps and encodes one span with the default settings as changed by
// configure, and returns what Helicone records of it, the body and the mapping issues.
func mapOne(t *testing.T, configure func(*Config), s genaiSpan) (helicone.Call, []byte, genai.Issues) {
	t.Helper()
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	require.NoError(t, rs.Resource().Attributes().FromRaw(s.resource))
	span := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetName("llm")
	span.SetSpanID(pcommon.SpanID{1})
	require.NoError(t, span.Attributes().FromRaw(s.attrs))
	for _, ev := range s.events {
		e := span.Events().AppendEmpty()
		e.SetName(ev.name)
		require.NoError(t, e.Attributes().FromRaw(ev.attrs))
	}
	cfg := createDefaultConfig().(*Config)
	if configure != nil {
		configure(cfg)
	}
	body, issues := encodeMapped(t, cfg, td)
	calls, err := helicone.ReadCalls(body)
	require.NoError(t, err)
	require.Len(t, calls, 1)
	return calls[0], body, issues
}

func mapAttrs(t *testing.T, attrs map[string]any) helicone.Call {
	t.Helper()
	c, _, _ := mapOne(t, nil, genaiSpan{attrs: attrs})
	return c
}

func TestGenAIProvider(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"semconv provider name", map[string]any{"gen_ai.provider.name": "openai"}, "OPENAI"},
		{"bedrock", map[string]any{"gen_ai.provider.name": "aws.bedrock"}, "BEDROCK"},
		{"azure", map[string]any{"gen_ai.provider.name": "azure.ai.openai"}, "AZURE"},
		{"old azure system", map[string]any{"gen_ai.system": "az.ai.openai"}, "AZURE"},
		{"vertex", map[string]any{"gen_ai.provider.name": "gcp.vertex_ai"}, "GOOGLE"},
		{"gemini", map[string]any{"gen_ai.provider.name": "gcp.gemini"}, "GOOGLE"},
		{"xai", map[string]any{"gen_ai.provider.name": "x_ai"}, "X"},
		{"mistral", map[string]any{"gen_ai.provider.name": "mistral_ai"}, "MISTRAL"},
		{"openinference host before api", map[string]any{"llm.provider": "azure", "llm.system": "openai"}, "AZURE"},
		{"openinference system", map[string]any{"llm.system": "anthropic"}, "ANTHROPIC"},
		{"vercel composite", map[string]any{"ai.model.provider": "anthropic.messages"}, "ANTHROPIC"},
		{"vercel vertex", map[string]any{"ai.model.provider": "google.vertex.chat"}, "GOOGLE"},
		{"vercel bedrock", map[string]any{"ai.model.provider": "amazon-bedrock"}, "BEDROCK"},
		{"composite gen_ai.system is normalised", map[string]any{"gen_ai.system": "openai.responses"}, "OPENAI"},
		{"known gen_ai.system kept as it is", map[string]any{"gen_ai.system": "OpenAI"}, "OPENAI"},
		{"unknown kept", map[string]any{"gen_ai.provider.name": "ibm.watsonx.ai"}, "IBM.WATSONX.AI"},
		{"unknown gen_ai.system never rewritten", map[string]any{"gen_ai.system": "my-gateway"}, "MY-GATEWAY"},
		{"conflict: gen_ai.system wins", map[string]any{"gen_ai.system": "anthropic", "gen_ai.provider.name": "openai"}, "ANTHROPIC"},
		{"none", map[string]any{"gen_ai.request.model": "m"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mapAttrs(t, tt.attrs).Provider)
		})
	}
}

func TestGenAIProviderRewriteKeepsOneKey(t *testing.T) {
	_, body, _ := mapOne(t, nil, genaiSpan{attrs: map[string]any{"gen_ai.system": "openai.chat"}})
	assert.Equal(t, 1, strings.Count(string(body), `"gen_ai.system"`))
	assert.Contains(t, string(body), `{"key":"gen_ai.system","value":{"stringValue":"openai"}}`)
}

func TestGenAIModel(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"response model kept", map[string]any{"gen_ai.response.model": "gpt-4o-2024", "gen_ai.request.model": "gpt-4o"}, "gpt-4o-2024"},
		{"request model when no response", map[string]any{"gen_ai.request.model": "gpt-4o"}, "gpt-4o"},
		{"openinference", map[string]any{"llm.model_name": "gpt-4o-mini"}, "gpt-4o-mini"},
		{"openinference embedding", map[string]any{"embedding.model_name": "text-embedding-3-small"}, "text-embedding-3-small"},
		{"vercel response before id", map[string]any{"ai.model.id": "gpt-4o", "ai.response.model": "gpt-4o-2024"}, "gpt-4o-2024"},
		{"vercel id", map[string]any{"ai.model.id": "gpt-4o"}, "gpt-4o"},
		{"answered model before asked", map[string]any{"gen_ai.request.model": "gpt-4o", "ai.response.model": "gpt-4o-2024"}, "gpt-4o-2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mapAttrs(t, tt.attrs).Model)
		})
	}
}

func TestGenAITokens(t *testing.T) {
	tests := []struct {
		name                      string
		attrs                     map[string]any
		prompt, completion, total *int64
	}{
		{"semconv", map[string]any{"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 5, "gen_ai.usage.total_tokens": 16}, ptr[int64](10), ptr[int64](5), ptr[int64](16)},
		{"total computed", map[string]any{"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 5}, ptr[int64](10), ptr[int64](5), ptr[int64](15)},
		{"no total from one part", map[string]any{"gen_ai.usage.input_tokens": 10}, ptr[int64](10), nil, nil},
		{"conflict: old keys win", map[string]any{"gen_ai.usage.prompt_tokens": 7, "gen_ai.usage.input_tokens": 10, "gen_ai.usage.completion_tokens": 3, "gen_ai.usage.output_tokens": 5}, ptr[int64](7), ptr[int64](3), ptr[int64](10)},
		{"old total kept", map[string]any{"gen_ai.usage.prompt_tokens": 7, "gen_ai.usage.completion_tokens": 3, "llm.usage.total_tokens": 11, "gen_ai.usage.total_tokens": 12}, ptr[int64](7), ptr[int64](3), ptr[int64](11)},
		{"openinference", map[string]any{"llm.token_count.prompt": 4, "llm.token_count.completion": 2, "llm.token_count.total": 6}, ptr[int64](4), ptr[int64](2), ptr[int64](6)},
		{"vercel v5", map[string]any{"ai.usage.inputTokens": 4, "ai.usage.outputTokens": 2, "ai.usage.totalTokens": 6}, ptr[int64](4), ptr[int64](2), ptr[int64](6)},
		{"vercel v4", map[string]any{"ai.usage.promptTokens": 4, "ai.usage.completionTokens": 2}, ptr[int64](4), ptr[int64](2), ptr[int64](6)},
		{"vercel embedding", map[string]any{"ai.operationId": "ai.embed.doEmbed", "ai.usage.tokens": 5}, ptr[int64](5), ptr[int64](0), ptr[int64](5)},
		{"semconv embedding", map[string]any{"gen_ai.operation.name": "embeddings", "gen_ai.usage.input_tokens": 5}, ptr[int64](5), ptr[int64](0), ptr[int64](5)},
		{"numbers as text and whole doubles", map[string]any{"gen_ai.usage.input_tokens": "10", "gen_ai.usage.output_tokens": 5.0}, ptr[int64](10), ptr[int64](5), ptr[int64](15)},
		{"fractions ignored", map[string]any{"gen_ai.usage.input_tokens": 1.5}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mapAttrs(t, tt.attrs)
			assert.Equal(t, tt.prompt, c.PromptTokens, "prompt")
			assert.Equal(t, tt.completion, c.CompletionTokens, "completion")
			assert.Equal(t, tt.total, c.TotalTokens, "total")
		})
	}
}

func TestGenAIRequestTypeAndMaxTokens(t *testing.T) {
	tests := []struct {
		name        string
		attrs       map[string]any
		requestType string
		maxTokens   *int64
	}{
		{"chat", map[string]any{"gen_ai.operation.name": "chat", "gen_ai.request.max_tokens": 100}, "chat", ptr[int64](100)},
		{"text completion", map[string]any{"gen_ai.operation.name": "text_completion"}, "completion", nil},
		{"gemini", map[string]any{"gen_ai.operation.name": "generate_content"}, "chat", nil},
		{"embeddings", map[string]any{"gen_ai.operation.name": "embeddings"}, "embedding", nil},
		{"old type kept", map[string]any{"llm.request.type": "completion", "gen_ai.operation.name": "chat"}, "completion", nil},
		{"old max tokens kept", map[string]any{"gen_ai.response.max_tokens": 5, "gen_ai.request.max_tokens": 100}, "", ptr[int64](5)},
		{"openinference", map[string]any{"openinference.span.kind": "LLM", "llm.invocation_parameters": `{"model":"m","max_completion_tokens":64}`}, "chat", ptr[int64](64)},
		{"openinference embedding", map[string]any{"openinference.span.kind": "EMBEDDING"}, "embedding", nil},
		{"openinference bad parameters", map[string]any{"openinference.span.kind": "LLM", "llm.invocation_parameters": `{`}, "chat", nil},
		{"vercel", map[string]any{"ai.operationId": "ai.streamText.doStream", "ai.settings.maxOutputTokens": 32}, "chat", ptr[int64](32)},
		{"vercel v4", map[string]any{"ai.operationId": "ai.generateText.doGenerate", "ai.settings.maxTokens": 16}, "chat", ptr[int64](16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mapAttrs(t, tt.attrs)
			assert.Equal(t, tt.requestType, c.RequestType)
			assert.Equal(t, tt.maxTokens, c.MaxTokens)
		})
	}
}

func TestGenAIUserAndSession(t *testing.T) {
	tests := []struct {
		name          string
		attrs         map[string]any
		user, session string
	}{
		{"semconv", map[string]any{"user.id": "u1", "session.id": "s1"}, "u1", "s1"},
		{"enduser and conversation", map[string]any{"enduser.id": "u1", "gen_ai.conversation.id": "c1"}, "u1", "c1"},
		{"user.id before enduser.id", map[string]any{"enduser.id": "u2", "user.id": "u1"}, "u1", ""},
		{"helicone keys kept", map[string]any{heliconePrefix + "User-Id": "u0", "user.id": "u1", heliconePrefix + "Session-Id": "s0", "session.id": "s1"}, "u0", "s0"},
		{"llm.user kept", map[string]any{"llm.user": "u0", "user.id": "u1"}, "u0", ""},
		{"vercel metadata", map[string]any{"ai.telemetry.metadata.userId": "u1", "ai.telemetry.metadata.sessionId": "s1"}, "u1", "s1"},
		{"vercel helicone metadata first", map[string]any{"ai.telemetry.metadata.Helicone-User-Id": "u0", "ai.telemetry.metadata.user": "u1"}, "u0", ""},
		{"openllmetry association", map[string]any{associationPrefix + "user_id": "u1", associationPrefix + "session_id": "s1"}, "u1", "s1"},
		{"openinference metadata", map[string]any{"metadata": `{"user_id":"u1","conversation_id":"c1","tenant":"acme"}`}, "u1", "c1"},
		{"attributes before metadata", map[string]any{"user.id": "u1", "ai.telemetry.metadata.userId": "u2"}, "u1", ""},
		{"numbers as text", map[string]any{"ai.telemetry.metadata.userId": 42}, "42", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mapAttrs(t, tt.attrs)
			assert.Equal(t, tt.user, c.UserID)
			assert.Equal(t, tt.session, c.SessionID)
		})
	}
}

func TestGenAISessionPathAndName(t *testing.T) {
	c := mapAttrs(t, map[string]any{
		"ai.telemetry.metadata.sessionId":   "s1",
		"ai.telemetry.metadata.sessionPath": "/plan/step",
		"ai.telemetry.metadata.sessionName": "Support",
	})
	assert.Equal(t, [3]string{"s1", "/plan/step", "Support"}, [3]string{c.SessionID, c.SessionPath, c.SessionName})
}

func TestGenAIProperties(t *testing.T) {
	res := map[string]any{"service.name": "chat-api", "deployment.environment.name": "prod", "k8s.namespace.name": "ai"}
	tests := []struct {
		name      string
		configure func(*Config)
		attrs     map[string]any
		want      map[string]string
	}{
		{"defaults from the resource", nil, nil, map[string]string{"Service": "chat-api", "Environment": "prod"}},
		{"span attribute before resource", nil, map[string]any{"service.name": "worker"}, map[string]string{"Service": "worker", "Environment": "prod"}},
		{"span's own property kept", nil, map[string]any{genai.PropertyPrefix + "Service": "mine"}, map[string]string{"Service": "mine", "Environment": "prod"}},
		{"vercel metadata property", nil, map[string]any{"ai.telemetry.metadata.Helicone-Property-Team": "search"}, map[string]string{"Service": "chat-api", "Environment": "prod", "Team": "search"}},
		{"static and extra", func(cfg *Config) {
			cfg.Attributes.Properties.Static = map[string]string{"Team": "search"}
			cfg.Attributes.Properties.FromAttributes["k8s.namespace.name"] = "Namespace"
		}, nil, map[string]string{"Service": "chat-api", "Environment": "prod", "Team": "search", "Namespace": "ai"}},
		{"default removed", func(cfg *Config) { cfg.Attributes.Properties.FromAttributes["service.name"] = "" }, nil, map[string]string{"Environment": "prod"}},
		{"current semconv key before the deprecated one", nil, map[string]any{"deployment.environment": "old"},
			map[string]string{"Service": "chat-api", "Environment": "prod"}},
		{"from attributes before static", func(cfg *Config) {
			cfg.Attributes.Properties.Static = map[string]string{"Service": "fallback"}
		}, nil, map[string]string{"Service": "chat-api", "Environment": "prod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := mapOne(t, tt.configure, genaiSpan{attrs: tt.attrs, resource: res})
			assert.Equal(t, tt.want, c.Properties)
		})
	}
}

func TestGenAIMessages(t *testing.T) {
	tests := []struct {
		name     string
		span     genaiSpan
		messages []helicone.Message
		choices  []helicone.Choice
	}{
		{
			name: "semconv with system instructions first",
			span: genaiSpan{attrs: map[string]any{
				"gen_ai.system_instructions": `[{"type":"text","content":"Be brief."},{"type":"text","content":"Be kind."}]`,
				"gen_ai.input.messages":      `[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]`,
				"gen_ai.output.messages":     `[{"role":"assistant","parts":[{"type":"text","content":"Hello"}],"finish_reason":"stop"}]`,
			}},
			messages: []helicone.Message{{Role: "system", Content: "Be brief.\nBe kind."}, {Role: "user", Content: "Hi"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "Hello", FinishReason: "stop"}},
		},
		{
			name: "semconv tool call, tool response and reasoning",
			span: genaiSpan{attrs: map[string]any{
				"gen_ai.input.messages": `[{"role":"assistant","parts":[{"type":"tool_call","id":"c1","name":"f","arguments":{"a": 1}}]},` +
					`{"role":"tool","parts":[{"type":"tool_call_response","id":"c1","response":{"ok":true}}]}]`,
				"gen_ai.output.messages":         `[{"role":"assistant","parts":[{"type":"reasoning","content":"think"},{"type":"text","content":"done"}]}]`,
				"gen_ai.response.finish_reasons": []any{"length"},
			}},
			messages: []helicone.Message{{Role: "assistant", Content: `[tool_call f id=c1] {"a":1}`}, {Role: "tool", Content: `{"ok":true}`}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "[reasoning] think\ndone", FinishReason: "length"}},
		},
		{
			name: "conflict: old messages win, new completions still filled",
			span: genaiSpan{attrs: map[string]any{
				"gen_ai.prompt.0.role":    "user",
				"gen_ai.prompt.0.content": "old",
				"gen_ai.input.messages":   `[{"role":"user","parts":[{"type":"text","content":"new"}]},{"role":"user","parts":[{"type":"text","content":"new2"}]}]`,
				"gen_ai.output.messages":  `[{"role":"assistant","parts":[{"type":"text","content":"answer"}]}]`,
			}},
			messages: []helicone.Message{{Role: "user", Content: "old"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "answer"}},
		},
		{
			name: "openinference contents, image and tool calls",
			span: genaiSpan{attrs: map[string]any{
				"llm.input_messages.0.message.role":                                       "user",
				"llm.input_messages.0.message.contents.0.message_content.type":            "text",
				"llm.input_messages.0.message.contents.0.message_content.text":            "What is this?",
				"llm.input_messages.0.message.contents.1.message_content.type":            "image",
				"llm.input_messages.0.message.contents.1.message_content.image.image.url": "https://example.com/cat.png",
				"llm.output_messages.0.message.role":                                      "assistant",
				"llm.output_messages.0.message.tool_calls.0.tool_call.id":                 "c1",
				"llm.output_messages.0.message.tool_calls.0.tool_call.function.name":      "lookup",
				"llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": `{"q":"cat"}`,
				"llm.output_messages.0.message.tool_calls.1.tool_call.function.name":      "other",
				"llm.finish_reason": "tool_calls",
			}},
			messages: []helicone.Message{{Role: "user", Content: "What is this?\n[image: https://example.com/cat.png]"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "[tool_call lookup id=c1] {\"q\":\"cat\"}\n[tool_call other] ", FinishReason: "tool_calls"}},
		},
		{
			name: "vercel prompt parts, tool result and object answer",
			span: genaiSpan{attrs: map[string]any{
				"ai.prompt.messages": `[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},` +
					`{"role":"tool","content":[{"type":"tool-result","toolCallId":"c1","toolName":"f","output":{"type":"text","value":"42"}}]}]`,
				"ai.response.object":       `{"answer":42}`,
				"ai.response.finishReason": "stop",
			}},
			messages: []helicone.Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "a\nb"}, {Role: "tool", Content: "42"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: `{"answer":42}`, FinishReason: "stop"}},
		},
		{
			name: "vercel text and tool calls answer",
			span: genaiSpan{attrs: map[string]any{
				"ai.response.text":      "Let me check.",
				"ai.response.toolCalls": `[{"toolCallId":"c1","toolName":"f","input":"{\"a\":1}"},{"toolCallId":"c2","toolName":"g","args":"{}"}]`,
			}},
			choices: []helicone.Choice{{Index: 0, Role: "assistant", Content: "Let me check.\n[tool_call f id=c1] {\"a\":1}\n[tool_call g id=c2] {}"}},
		},
		{
			name: "embedding inputs",
			span: genaiSpan{attrs: map[string]any{
				"embedding.embeddings.0.embedding.text": "one",
				"embedding.embeddings.1.embedding.text": "two",
			}},
			messages: []helicone.Message{{Role: "user", Content: "one"}, {Role: "user", Content: "two"}},
		},
		{
			name:     "vercel embedding input",
			span:     genaiSpan{attrs: map[string]any{"ai.value": `"hello"`}},
			messages: []helicone.Message{{Role: "user", Content: "hello"}},
		},
		{
			name: "messages without a role get one",
			span: genaiSpan{attrs: map[string]any{
				"gen_ai.input.messages":  `[{"parts":[{"type":"text","content":"Hi"}]}]`,
				"gen_ai.output.messages": `[{"parts":[{"type":"text","content":"Hello"}]}]`,
			}},
			messages: []helicone.Message{{Role: "user", Content: "Hi"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "Hello"}},
		},
		{
			name: "a part of an unexpected shape is skipped, not the message",
			span: genaiSpan{attrs: map[string]any{
				"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"Hi","name":7}]}]`,
			}},
			messages: []helicone.Message{{Role: "user", Content: "Hi"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, issues := mapOne(t, nil, tt.span)
			assert.Equal(t, tt.messages, c.Messages)
			assert.Equal(t, tt.choices, c.Choices)
			assert.Zero(t, issues, "no issue")
		})
	}
}

func TestGenAIEventMessages(t *testing.T) {
	tests := []struct {
		name     string
		span     genaiSpan
		messages []helicone.Message
		choices  []helicone.Choice
	}{
		{
			name: "content events",
			span: genaiSpan{events: []genaiEvent{
				{"gen_ai.content.prompt", map[string]any{"gen_ai.prompt": `[{"role":"system","content":"S"},{"role":"user","content":"U"}]`}},
				{"gen_ai.content.completion", map[string]any{"gen_ai.completion": `[{"role":"assistant","content":"A","finish_reason":"stop"}]`}},
			}},
			messages: []helicone.Message{{Role: "system", Content: "S"}, {Role: "user", Content: "U"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "A", FinishReason: "stop"}},
		},
		{
			name: "message and choice events",
			span: genaiSpan{events: []genaiEvent{
				{"gen_ai.system.message", map[string]any{"gen_ai.event.content": `{"content":"S"}`}},
				{"gen_ai.user.message", map[string]any{"content": "U"}},
				{"gen_ai.assistant.message", map[string]any{"gen_ai.event.content": `{"tool_calls":[{"id":"c1","function":{"name":"f","arguments":"{}"}}]}`}},
				{"gen_ai.tool.message", map[string]any{"gen_ai.event.content": `{"content":"42","id":"c1"}`}},
				{"gen_ai.choice", map[string]any{"gen_ai.event.content": `{"index":0,"finish_reason":"stop","message":{"content":[{"type":"text","text":"A"}]}}`}},
			}},
			messages: []helicone.Message{{Role: "system", Content: "S"}, {Role: "user", Content: "U"}, {Role: "assistant", Content: "[tool_call f id=c1] {}"}, {Role: "tool", Content: "42"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "A", FinishReason: "stop"}},
		},
		{
			name: "operation details event",
			span: genaiSpan{events: []genaiEvent{{"gen_ai.client.inference.operation.details", map[string]any{
				"gen_ai.input.messages":          `[{"role":"user","parts":[{"type":"text","content":"U"}]}]`,
				"gen_ai.output.messages":         `[{"role":"assistant","parts":[{"type":"text","content":"A"}]}]`,
				"gen_ai.response.finish_reasons": []any{"stop"},
			}}}},
			messages: []helicone.Message{{Role: "user", Content: "U"}},
			choices:  []helicone.Choice{{Index: 0, Role: "assistant", Content: "A", FinishReason: "stop"}},
		},
		{
			name: "span attributes before events",
			span: genaiSpan{
				attrs:  map[string]any{"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"attr"}]}]`},
				events: []genaiEvent{{"gen_ai.user.message", map[string]any{"content": "event"}}},
			},
			messages: []helicone.Message{{Role: "user", Content: "attr"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := mapOne(t, nil, tt.span)
			assert.Equal(t, tt.messages, c.Messages)
			assert.Equal(t, tt.choices, c.Choices)
		})
	}
}

func TestGenAIMessagesInNumericOrder(t *testing.T) {
	var msgs []string
	for i := range 12 {
		msgs = append(msgs, fmt.Sprintf(`{"role":"user","parts":[{"type":"text","content":"m%d"}]}`, i))
	}
	c := mapAttrs(t, map[string]any{"gen_ai.input.messages": "[" + strings.Join(msgs, ",") + "]"})
	require.Len(t, c.Messages, 12)
	for i, m := range c.Messages {
		assert.Equal(t, fmt.Sprintf("m%d", i), m.Content)
	}
}

func TestGenAIMalformedMessagesPassThrough(t *testing.T) {
	for _, key := range []string{"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "ai.prompt.messages", "ai.response.toolCalls"} {
		for _, bad := range []string{`[{"role":"user","parts":[`, `not json`, `{"role":"user"}`} {
			t.Run(key+" "+bad, func(t *testing.T) {
				c, body, issues := mapOne(t, nil, genaiSpan{attrs: map[string]any{key: bad, "gen_ai.request.model": "m"}})
				assert.Equal(t, "m", c.Model, "the rest of the span is still mapped")
				assert.Contains(t, string(body), `{"key":"`+key+`","value":{"stringValue":`+quoteJSON(bad)+`}}`, "sent untouched")
				assert.Equal(t, int64(1), issues[genai.IssueMalformedJSON])
			})
		}
	}
}

func TestGenAIMalformedMessagesAreCounted(t *testing.T) {
	h := newHarness(t, helicone.Options{}, nil)
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.Attributes().PutStr("gen_ai.operation.name", "chat")
	span.Attributes().PutStr("gen_ai.input.messages", "[{")
	require.NoError(t, h.exp.ConsumeTraces(t.Context(), td))
	assert.Equal(t, 1, h.server.SpanCount(), "the batch is sent")
	assert.Equal(t, int64(1), mappingIssues(t, h, "malformed_json"))
}

func TestGenAIMultimodalPartsBecomePlaceholders(t *testing.T) {
	blob := base64.StdEncoding.EncodeToString(make([]byte, 300_000))
	tests := []struct {
		name, messages, want string
	}{
		{"semconv blob", `[{"role":"user","parts":[{"type":"text","content":"Describe"},{"type":"blob","modality":"image","mime_type":"image/png","content":"` + blob + `"}]}]`,
			"Describe\n[image: image/png, 300000 bytes]"},
		{"semconv audio blob", `[{"role":"user","parts":[{"type":"blob","modality":"audio","content":"` + blob + `"}]}]`,
			"[audio: 300000 bytes]"},
		{"semconv uri", `[{"role":"user","parts":[{"type":"uri","modality":"image","mime_type":"image/jpeg","uri":"https://x/y.jpg"}]}]`,
			"[image: image/jpeg, https://x/y.jpg]"},
		{"semconv data uri", `[{"role":"user","parts":[{"type":"uri","modality":"image","uri":"data:image/webp;base64,` + blob + `"}]}]`,
			"[image: image/webp, 300000 bytes]"},
		{"semconv file", `[{"role":"user","parts":[{"type":"file","modality":"video","mime_type":"video/mp4","file_id":"file-1"}]}]`,
			"[video: video/mp4, file file-1]"},
		{"openai image_url", `[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,` + blob + `"}}]}]`,
			"[image: image/png, 300000 bytes]"},
		{"openai input_audio", `[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"` + blob + `","format":"wav"}}]}]`,
			"[audio: wav, 300000 bytes]"},
		{"vercel image", `[{"role":"user","content":[{"type":"image","image":"` + blob + `","mediaType":"image/png"}]}]`,
			"[image: image/png, 300000 bytes]"},
		{"vercel file", `[{"role":"user","content":[{"type":"file","data":"` + blob + `","mediaType":"application/pdf"}]}]`,
			"[file: application/pdf, 300000 bytes]"},
		{"vercel image url", `[{"role":"user","content":[{"type":"image","image":"https://x/y.png"}]}]`,
			"[image: https://x/y.png]"},
		{"anthropic image", `[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/gif","data":"` + blob + `"}}]}]`,
			"[image: image/gif, 300000 bytes]"},
		{"unknown part", `[{"role":"user","parts":[{"type":"hologram","data":"` + blob + `"}]}]`,
			"[hologram]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "gen_ai.input.messages"
			if !strings.Contains(tt.messages, `"parts"`) {
				key = "ai.prompt.messages"
			}
			c := mapAttrs(t, map[string]any{key: tt.messages})
			require.Len(t, c.Messages, 1)
			assert.Equal(t, tt.want, c.Messages[0].Content)
		})
	}
	t.Run("openinference data uri", func(t *testing.T) {
		c := mapAttrs(t, map[string]any{
			"llm.input_messages.0.message.role":                                       "user",
			"llm.input_messages.0.message.contents.0.message_content.type":            "image",
			"llm.input_messages.0.message.contents.0.message_content.image.image.url": "data:image/png;base64," + blob,
		})
		assert.Equal(t, []helicone.Message{{Role: "user", Content: "[image: image/png, 300000 bytes]"}}, c.Messages)
	})
}

func TestGenAILongMessagesAreCut(t *testing.T) {
	const maxRequestSize = 64 * 1024     // cap: a quarter, 16 KiB
	long := strings.Repeat("é", 20*1024) // 40 KiB, two bytes a rune
	configure := func(cfg *Config) { cfg.MaxRequestSize = maxRequestSize }
	c, _, issues := mapOne(t, configure, genaiSpan{attrs: map[string]any{
		"gen_ai.input.messages":  `[{"role":"user","parts":[{"type":"text","content":"` + long + `"}]}]`,
		"gen_ai.output.messages": `[{"role":"assistant","parts":[{"type":"text","content":"short"}]}]`,
	}})
	content := c.Messages[0].Content
	assert.True(t, strings.HasPrefix(content, strings.Repeat("é", 8*1024)), "cut on a rune boundary")
	assert.True(t, strings.HasSuffix(content, "… [truncated: 16384 of 40960 bytes]"), content[len(content)-60:])
	assert.Equal(t, "short", c.Choices[0].Content, "a message under the cap is copied whole")
	assert.Equal(t, int64(1), issues[genai.IssueTruncated])

	t.Run("the span still fits its request", func(t *testing.T) {
		h := newHarness(t, helicone.Options{}, func(cfg *Config) { cfg.MaxRequestSize = maxRequestSize })
		td := ptrace.NewTraces()
		span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
		span.Attributes().PutStr("gen_ai.operation.name", "chat")
		span.Attributes().PutStr("gen_ai.input.messages", `[{"role":"user","parts":[{"type":"text","content":"`+long+`"}]}]`)
		require.NoError(t, h.exp.ConsumeTraces(t.Context(), td))
		assert.Equal(t, 1, h.server.SpanCount())
		assert.Equal(t, int64(1), mappingIssues(t, h, "truncated"))
	})
}

func TestGenAISendOnlyWhatHeliconeReads(t *testing.T) {
	s := genaiSpan{
		resource: map[string]any{"service.name": "chat-api"},
		attrs: map[string]any{
			"gen_ai.provider.name":              "openai",
			"gen_ai.request.model":              "gpt-4o",
			"gen_ai.request.temperature":        0.2,
			"gen_ai.input.messages":             `[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]`,
			"gen_ai.prompt.0.tool_calls.0.name": "f",
			"gen_ai.completion.0.finish_reason": "stop",
			"gen_ai.completion.0.role":          "assistant",
			genai.PropertyPrefix + "Team":       "search",
			associationPrefix + "customer":      "acme",
			"llm.user":                          "u1",
			"http.request.method":               "POST",
		},
		events: []genaiEvent{{"gen_ai.user.message", map[string]any{"content": "Hi"}}},
	}
	all, _, _ := mapOne(t, nil, s)
	only, body, _ := mapOne(t, func(cfg *Config) { cfg.Attributes.Send = SendHelicone }, s)
	assert.Equal(t, all, only, "Helicone records the same call")

	var d struct {
		ResourceSpans []struct {
			Resource   struct{ Attributes []json.RawMessage }
			ScopeSpans []struct {
				Spans []struct {
					Attributes []struct{ Key string }
					Events     []json.RawMessage
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(body, &d))
	assert.Empty(t, d.ResourceSpans[0].Resource.Attributes)
	sent := d.ResourceSpans[0].ScopeSpans[0].Spans[0]
	assert.Empty(t, sent.Events)
	var keys []string
	for _, a := range sent.Attributes {
		keys = append(keys, a.Key)
	}
	assert.ElementsMatch(t, []string{
		"gen_ai.system", "gen_ai.response.model", "llm.user",
		genai.PropertyPrefix + "Team", genai.PropertyPrefix + "Service",
		"gen_ai.prompt.0.role", "gen_ai.prompt.0.content",
		"gen_ai.completion.0.role", "gen_ai.completion.0.finish_reason",
	}, keys)
}

func quoteJSON(s string) string {
	var b strings.Builder
	b.WriteString(`"`)
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`))
	b.WriteString(`"`)
	return b.String()
}

// mappingIssues reads otelcol_exporter_helicone_mapping_issues for a reason.
func mappingIssues(t *testing.T, h *harness, reason string) int64 {
	t.Helper()
	return h.counter(t, "otelcol_exporter_helicone_mapping_issues", reason)
}

// The keys Helicone reads user metadata and properties under.
const (
	associationPrefix = "traceloop.association.properties."
	heliconePrefix    = associationPrefix + "Helicone-"
)

// encodeMapped maps and encodes every span of td as a push does with cfg, checking
// the body against the schema; it returns the body and the mapping issues.
func encodeMapped(t testing.TB, cfg *Config, td ptrace.Traces) ([]byte, genai.Issues) {
	t.Helper()
	added := genai.NewMapper(cfg.mappingSettings()).Map(td)
	refs := heliconebody.AppendRefs(nil, td)
	body, n := heliconebody.NewEncoder(cfg.Attributes.Send == SendHelicone).Fill(nil, td, refs, added.Spans, math.MaxInt)
	require.Len(t, refs, n)
	require.NoError(t, helicone.ValidateBody(body))
	return body, added.Issues(0, n)
}

// readFixture reads an OTLP/JSON file of testdata/genai.
func readFixture(t testing.TB, file string) ptrace.Traces {
	t.Helper()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
	require.NoError(t, err)
	return td
}
