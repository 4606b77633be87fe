// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// OpenLLMetry Anthropic 0.22: content-block arrays are rewritten to text, in place.
func TestOpenLLMetryContentBlocksBecomeText(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.system": "Anthropic", "llm.request.type": "chat", "gen_ai.request.model": "claude-3-5-haiku",
		"gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "What is the weather in Paris?",
		"gen_ai.prompt.1.role": "assistant", "gen_ai.prompt.1.content": `[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]`,
		"gen_ai.prompt.2.role": "user", "gen_ai.prompt.2.content": `[{"type":"tool_result","tool_use_id":"toolu_1","content":"{\"temp\":18}"}]`,
		"gen_ai.prompt.3.role": "user", "gen_ai.prompt.3.content": `[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},{"type":"text","text":"and this?"}]`,
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": `[{"type":"text","text":"Sunny."}]`,
	}})
	_, plain := added["gen_ai.prompt.0.content"]
	assert.False(t, plain, "plain text is left alone")
	for key, want := range map[string]string{
		"gen_ai.prompt.1.content":     "Let me look.\n[tool_call get_weather id=toolu_1] {\"city\":\"Paris\"}",
		"gen_ai.prompt.2.content":     `{"temp":18}`,
		"gen_ai.prompt.3.content":     "[image: image/png, 3 bytes]\nand this?",
		"gen_ai.completion.0.content": "Sunny.",
	} {
		assert.Equal(t, Attr{Key: key, Str: want, Replace: true}, added[key], key)
	}
	_, role := added["gen_ai.prompt.2.role"]
	assert.False(t, role, "Anthropic's API takes tool results as user: the role stays")
}

// Other JSON in a content is what the user sent: it stays.
func TestOpenLLMetryOtherJSONStays(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat",
		"gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": `[{"type":"row","id":1},{"type":"row","id":2}]`,
		"gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": `[1, 2, 3]`,
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": `{"type":"text","text":"an object"}`,
	}})
	assert.Empty(t, contents(added, 0))
	assert.Empty(t, contents(added, 1))
}

// OpenLLMetry OpenAI 0.22: tool calls only in tool_calls.M.* (or function_call.*)
// show in the content, in the prompt too; an assistant "null" content is dropped.
func TestOpenLLMetryToolCallsShowInContent(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat",
		"gen_ai.prompt.0.role": "assistant", "gen_ai.prompt.0.content": "null",
		"gen_ai.prompt.0.tool_calls.0.id": "call_1", "gen_ai.prompt.0.tool_calls.0.name": "get_weather",
		"gen_ai.prompt.0.tool_calls.0.arguments": `{"city":"Paris"}`,
		"gen_ai.prompt.1.role":                   "tool", "gen_ai.prompt.1.content": `{"temp":18}`,
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "",
		"gen_ai.completion.0.tool_calls.0.name": "get_weather", "gen_ai.completion.0.tool_calls.0.arguments": `{"city":"Paris"}`,
		"gen_ai.completion.0.tool_calls.1.name": "get_time", "gen_ai.completion.0.tool_calls.1.arguments": `{}`,
		"gen_ai.completion.1.role": "assistant", "gen_ai.completion.1.function_call.name": "lookup",
		"gen_ai.completion.1.function_call.arguments": `{"q":"x"}`,
	}})
	assert.Equal(t, []string{": [tool_call get_weather id=call_1] {\"city\":\"Paris\"}"}, contents(added, 0))
	assert.Equal(t, []string{
		": [tool_call get_weather] {\"city\":\"Paris\"}\n[tool_call get_time] {}",
		": [tool_call lookup] {\"q\":\"x\"}",
	}, contents(added, 1))
	assert.True(t, added["gen_ai.completion.1.content"].Replace)
}

// messageNumber reads N as MessageIndex does, on its fast path and off it.
func TestMessageNumberAsMessageIndex(t *testing.T) {
	for key, field := range map[string]string{
		"gen_ai.prompt.0.role": "role", "gen_ai.completion.12.content": "content", "gen_ai.prompt.007.role": "role",
		"gen_ai.prompt.+1.role": "role", "gen_ai.prompt.-1.role": "", "gen_ai.prompt.1234567.role": "role",
		"gen_ai.prompt..role": "", "gen_ai.prompt.x.role": "", "gen_ai.prompt.1": "",
		"gen_ai.completion.99999999999999999999.content": "", "gen_ai.completion.3.tool_calls.0.name": "tool_calls.0.name",
	} {
		g, rest, ok := cutMessagePrefix(key)
		assert.True(t, ok, key)
		wantG, wantN, wantOK := MessageIndex(key)
		n, gotField, ok := messageNumber(key, rest)
		assert.Equal(t, wantOK, ok, key)
		if wantOK {
			assert.Equal(t, []int{wantG, wantN}, []int{g, n}, key)
			assert.Equal(t, field, gotField, key)
		}
	}
	_, _, ok := cutMessagePrefix("gen_ai.prompt_tokens")
	assert.False(t, ok)
}
