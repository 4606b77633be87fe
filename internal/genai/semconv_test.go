// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Strands (latest conventions): the messages are in a span event, as JSON strings.
func TestOperationDetailsEvent(t *testing.T) {
	added := mapContent(t, contentSpan{
		attrs: map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "strands-agents", "gen_ai.request.model": "gpt-4o-mini"},
		events: []contentEvent{{name: "gen_ai.client.inference.operation.details", attrs: map[string]any{
			"gen_ai.system_instructions": `[{"type":"text","content":"Be terse."}]`,
			"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"Weather?"}]},` +
				`{"role":"assistant","parts":[{"type":"tool_call","name":"get_weather","id":"c1","arguments":{"city":"Paris"}}]},` +
				`{"role":"user","parts":[{"type":"tool_call_response","id":"c1","response":[{"text":"18C"}]}]}]`,
			"gen_ai.output.messages": `[{"role":"assistant","parts":[{"type":"text","content":"It is 18C."}],"finish_reason":"end_turn"}]`,
		}}},
	})
	assert.Equal(t, []string{"system: Be terse.", "user: Weather?", `assistant: [tool_call get_weather id=c1] {"city":"Paris"}`, "tool: 18C"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: It is 18C."}, contents(added, 1))
	assert.Equal(t, "end_turn", added["gen_ai.completion.0.finish_reason"].Str)
}

// Strands (legacy conventions): per-message events whose content is Bedrock blocks,
// and a gen_ai.choice whose text is in message.
func TestLegacyMessageEvents(t *testing.T) {
	added := mapContent(t, contentSpan{
		attrs: map[string]any{"gen_ai.operation.name": "chat", "gen_ai.system": "strands-agents", "gen_ai.request.model": "gpt-4o-mini"},
		events: []contentEvent{
			{name: "gen_ai.user.message", attrs: map[string]any{"content": `[{"text":"Weather?"}]`}},
			{name: "gen_ai.assistant.message", attrs: map[string]any{"content": `[{"toolUse":{"toolUseId":"c1","name":"get_weather","input":{"city":"Paris"}}}]`}},
			{name: "gen_ai.user.message", attrs: map[string]any{"content": `[{"toolResult":{"toolUseId":"c1","status":"success","content":[{"text":"18C"}]}}]`}},
			{name: "gen_ai.user.message", attrs: map[string]any{"content": `[1, 2]`}}, // JSON, but no content blocks
			{name: "gen_ai.choice", attrs: map[string]any{"message": `[{"text":"It is 18C."}]`, "finish_reason": "end_turn"}},
		},
	})
	assert.Equal(t, []string{"user: Weather?", `assistant: [tool_call get_weather id=c1] {"city":"Paris"}`, "tool: 18C", "user: [1, 2]"}, contents(added, 0))
	assert.Equal(t, []string{"assistant: It is 18C."}, contents(added, 1))
	assert.Equal(t, "end_turn", added["gen_ai.completion.0.finish_reason"].Str)
}

// The conventions prefer structured values where an SDK can record them; they are read
// like the JSON strings.
func TestStructuredMessages(t *testing.T) {
	input := []any{map[string]any{"role": "user", "parts": []any{map[string]any{"type": "text", "content": "Hi"}}}}
	output := []any{map[string]any{"role": "assistant", "parts": []any{map[string]any{"type": "text", "content": "Hello."}}, "finish_reason": "stop"}}
	for name, s := range map[string]contentSpan{
		"span": {attrs: map[string]any{"gen_ai.operation.name": "chat", "gen_ai.input.messages": input, "gen_ai.output.messages": output}},
		"event": {
			attrs: map[string]any{"gen_ai.operation.name": "chat"},
			events: []contentEvent{{name: "gen_ai.client.inference.operation.details", attrs: map[string]any{
				"gen_ai.system_instructions": []any{map[string]any{"type": "text", "content": "Be terse."}},
				"gen_ai.input.messages":      input, "gen_ai.output.messages": output,
			}}},
		},
	} {
		added := mapContent(t, s)
		want := []string{"user: Hi"}
		if name == "event" {
			want = []string{"system: Be terse.", "user: Hi"}
		}
		assert.Equal(t, want, contents(added, 0), name)
		assert.Equal(t, []string{"assistant: Hello."}, contents(added, 1), name)
	}
}
