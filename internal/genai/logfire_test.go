// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// An older Logfire chat span: only its JSON attributes say what the call was.
func TestLogfireChatFromJSONAttributes(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"logfire.span_type": "span", "logfire.msg_template": "Chat Completion with {request_data[model]!r}",
		"request_data": `{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Weather?"},` +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},` +
			`{"role":"tool","tool_call_id":"c1","content":"18C"}],"stream":false}`,
		"response_data": `{"message":{"role":"assistant","content":"It is 18C."},"usage":{"prompt_tokens":30,"completion_tokens":5,"total_tokens":35}}`,
	}})
	assert.Equal(t, "openai", added[keySystem].Str)
	assert.Equal(t, "gpt-4o-mini", added[keyModel].Str)
	assert.Equal(t, "chat", added[keyRequestType].Str)
	for key, n := range map[string]int64{keyPromptTokens: 30, keyCompletionTokens: 5, keyTotalTokens: 35} {
		assert.Equal(t, Attr{Key: key, Num: n, IsNum: true}, added[key], key)
	}
	assert.Equal(t, []string{"system: Be terse.", "user: Weather?", `assistant: [tool_call get_weather id=c1] {"city":"Paris"}`, "tool: 18C"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: It is 18C."}, contents(added, 1))
}

// Logfire's Anthropic span: system apart, content blocks, usage as input/output tokens.
func TestLogfireAnthropicMessage(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"logfire.span_type": "span", "logfire.msg_template": "Message with {request_data[model]!r}", "gen_ai.system": "anthropic",
		"request_data": `{"model":"claude-3-5-haiku","system":"Be terse.","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},` +
			`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"18C"}]}]}`,
		"response_data": `{"message":{"role":"assistant","content":"Hello."},"usage":{"input_tokens":12,"output_tokens":3}}`,
	}})
	assert.Equal(t, []string{"system: Be terse.", "user: Hi", "user: 18C"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: Hello."}, contents(added, 1))
	assert.Equal(t, int64(12), added[keyPromptTokens].Num)
	assert.Equal(t, int64(15), added[keyTotalTokens].Num)
}

// Completions and embeddings: the prompt or the input as user messages.
func TestLogfireCompletionAndEmbedding(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"logfire.span_type": "span", "logfire.msg_template": "Completion with {request_data[model]!r}",
		"request_data":  `{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi"}`,
		"response_data": `{"finish_reason":"stop","text":"hi","usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}`,
	}})
	assert.Equal(t, "completion", added[keyRequestType].Str)
	assert.Equal(t, []string{"user: Say hi"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: hi"}, contents(added, 1))
	assert.Equal(t, "stop", added["gen_ai.completion.0.finish_reason"].Str)

	added = mapContent(t, contentSpan{attrs: map[string]any{
		"logfire.span_type": "span", "logfire.msg_template": "Embedding Creation with {request_data[model]!r}",
		"request_data": `{"model":"text-embedding-3-small","input":["a","b"]}`, "response_data": `{"usage":{"prompt_tokens":2,"total_tokens":2}}`,
	}})
	assert.Equal(t, "embedding", added[keyRequestType].Str)
	assert.Equal(t, []string{"user: a", "user: b"}, contents(added, 0))
	assert.Equal(t, int64(0), added[keyCompletionTokens].Num)
}

// Logfire's Responses API span: the input items then the output items, as events.
func TestLogfireResponsesEvents(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"logfire.span_type": "span", "logfire.msg_template": "Responses API with {request_data[model]!r}",
		"request_data": `{"model":"gpt-4.1","stream":false}`,
		"events": `[{"event.name":"gen_ai.system.message","content":"Be terse.","role":"system"},` +
			`{"event.name":"gen_ai.user.message","content":"Weather?","role":"user"},` +
			`{"event.name":"gen_ai.assistant.message","role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},` +
			`{"event.name":"gen_ai.tool.message","role":"tool","id":"c1","name":"get_weather","content":"18C"},` +
			`{"event.name":"gen_ai.unknown","role":"unknown","content":"reasoning\n\nSee JSON for details"},` +
			`{"event.name":"gen_ai.assistant.message","role":"assistant","content":"It is 18C."}]`,
	}})
	assert.Equal(t, []string{"system: Be terse.", "user: Weather?", "assistant: [tool_call get_weather id=c1] {}", "tool: 18C"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: It is 18C."}, contents(added, 1))
}

// pydantic-ai v1 (event_mode attributes): events with a gen_ai.choice.
func TestPydanticAIEventsAttribute(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
		"events": `[{"event.name":"gen_ai.user.message","role":"user","content":"Hi","gen_ai.message.index":0,"gen_ai.system":"openai"},` +
			`{"event.name":"gen_ai.choice","index":0,"message":{"role":"assistant","content":"Hello."}}]`,
	}})
	assert.Equal(t, []string{"user: Hi"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: Hello."}, contents(added, 1))
}

// pydantic-ai's embeddings span: inputs, a JSON array of the texts.
func TestPydanticAIEmbeddingInputs(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.operation.name": "embeddings", "gen_ai.provider.name": "openai", "gen_ai.request.model": "text-embedding-3-small",
		"inputs": `["OpenTelemetry traces","Helicone logs"]`, "inputs_count": 2,
	}})
	assert.Equal(t, []string{"user: OpenTelemetry traces", "user: Helicone logs"}, contents(added, 0))
	// On a chat span the attribute is not read.
	added = mapContent(t, contentSpan{attrs: map[string]any{"gen_ai.operation.name": "chat", "inputs": `["x"]`}})
	assert.Empty(t, contents(added, 0))
}

// The request span is the call; the stream log, which carries the same attributes,
// is not.
func TestLogfireClassify(t *testing.T) {
	for _, tc := range []struct {
		attrs map[string]any
		want  Class
	}{
		{map[string]any{"logfire.span_type": "span", "logfire.msg_template": "Chat Completion with {request_data[model]!r}", "request_data": "{}"}, ClassLLM},
		{map[string]any{"logfire.span_type": "log", "logfire.msg_template": "streaming response from {request_data[model]!r} took {duration:.2f}s",
			"request_data": "{}", "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o"}, ClassOther},
		{map[string]any{"logfire.span_type": "span", "logfire.msg_template": "Image Generation with {request_data[model]!r}", "request_data": "{}"}, ClassOther},
	} {
		attrs := pcommon.NewMap()
		require.NoError(t, attrs.FromRaw(tc.attrs))
		assert.Equal(t, tc.want, Classify(attrs), "%v", tc.attrs)
	}
}
