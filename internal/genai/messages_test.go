// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// pydantic-ai and Strands record tool results as user messages; OpenAI's server saw
// a tool message, Anthropic's a user message.
func TestToolResultsInUserMessagesAreTool(t *testing.T) {
	input := `[{"role":"user","parts":[{"type":"text","content":"Weather?"}]},` +
		`{"role":"assistant","parts":[{"type":"tool_call","id":"c1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]},` +
		`{"role":"user","parts":[{"type":"tool_call_response","id":"c1","name":"get_weather","result":{"temp":18}}]},` +
		`{"role":"user","parts":[{"type":"tool_call_response","id":"c1","response":[{"text":"{\"temp\":18}"}]}]}]`
	for model, role := range map[string]string{"gpt-4o-mini": "tool", "claude-3-5-haiku": "user", "us.anthropic.claude-3-7": "user"} {
		added := mapContent(t, contentSpan{attrs: map[string]any{
			"gen_ai.operation.name": "chat", "gen_ai.provider.name": "strands-agents", "gen_ai.request.model": model,
			"gen_ai.input.messages": input,
		}})
		assert.Equal(t, []string{
			"user: Weather?",
			`assistant: [tool_call get_weather id=c1] {"city":"Paris"}`,
			role + `: {"temp":18}`,
			role + `: {"temp":18}`, // Strands: a response of Bedrock blocks, as text
		}, contents(added, 0), model)
	}
}

// Responses API items in a content: function_call_output is a tool message.
func TestResponsesItemsInContent(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.response.model": "gpt-4o",
		"gen_ai.prompt.0.role": "assistant", "gen_ai.prompt.0.content": `[{"type":"function_call","call_id":"c1","name":"add","arguments":"{\"a\":1}"}]`,
		"gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": `[{"type":"function_call_output","call_id":"c1","output":"2"}]`,
		"gen_ai.prompt.2.role": "user", "gen_ai.prompt.2.content": `[{"type":"input_text","text":"thanks"},{"type":"input_image","image_url":"https://x/y.png"}]`,
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": `[{"type":"output_text","text":"3"}]`,
	}})
	assert.Equal(t, []string{
		`: [tool_call add id=c1] {"a":1}`,
		"tool: 2",
		": thanks\n[image: https://x/y.png]",
	}, contents(added, 0))
	assert.Equal(t, []string{": 3"}, contents(added, 1))
}

// Bedrock Converse and Gemini blocks have no type: the key names the kind.
func TestUntypedBlocksRender(t *testing.T) {
	added := mapContent(t, contentSpan{attrs: map[string]any{
		"gen_ai.system": "bedrock", "llm.request.type": "chat", "gen_ai.response.model": "amazon.nova-pro",
		"gen_ai.prompt.0.role": "assistant", "gen_ai.prompt.0.content": `[{"text":"Looking."},{"toolUse":{"toolUseId":"t1","name":"get_weather","input":{"city":"Paris"}}}]`,
		"gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": `[{"toolResult":{"toolUseId":"t1","status":"success","content":[{"json":{"temp":18}},{"text":"ok"}]}}]`,
		"gen_ai.prompt.2.role": "user", "gen_ai.prompt.2.content": `[{"image":{"format":"png","source":{"bytes":"AAAA"}}},{"inlineData":{"mimeType":"audio/wav","data":"AAAAAAAA"}},{"fileData":{"mimeType":"application/pdf","fileUri":"gs://b/f.pdf"}}]`,
		"gen_ai.completion.0.role": "model", "gen_ai.completion.0.content": `[{"functionCall":{"name":"add","args":{"a":1}}},{"functionResponse":{"name":"add","response":{"sum":2}}}]`,
	}})
	assert.Equal(t, []string{
		": Looking.\n[tool_call get_weather id=t1] {\"city\":\"Paris\"}",
		": {\"temp\":18}\nok", // Bedrock's API takes tool results as user
		": [image: image/png, 3 bytes]\n[audio: audio/wav, 6 bytes]\n[blob: application/pdf, gs://b/f.pdf]",
	}, contents(added, 0))
	assert.Equal(t, []string{": [tool_call add] {\"a\":1}\n{\"sum\":2}"}, contents(added, 1))
}

// The texts of a push share a buffer: when it is outgrown, the texts already made keep
// theirs, and each span keeps its own text.
func TestMessageTextsOutgrowTheirBuffer(t *testing.T) {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	const n = 100
	text := func(i int) string { return strings.Repeat(strconv.Itoa(i%10), 2000) + ` \"escaped\"` }
	for i := range n {
		attrs := spans.AppendEmpty().Attributes()
		attrs.PutStr("gen_ai.operation.name", "chat")
		attrs.PutStr("gen_ai.provider.name", "openai")
		attrs.PutStr("gen_ai.input.messages", `[{"role":"user","parts":[{"type":"text","content":"`+text(i)+`"}]}]`)
	}
	m := NewMapper(Settings{MaxContent: 1 << 20})
	for range 2 { // the second push reuses the buffer
		added := m.Map(td).Spans
		require.Len(t, added, n)
		for i, attrs := range added {
			want := strings.ReplaceAll(text(i), `\"`, `"`)
			assert.Contains(t, attrs, Attr{Key: "gen_ai.prompt.0.content", Str: want}, "span %d", i)
		}
	}
}

func TestContainsLower(t *testing.T) {
	for _, s := range []string{"", "Anthropic", "us.ANTHROPIC.claude", "openai", "gpt-4o", "Vertex_AI", "bedrocK", "bedroc\u212a", "İgemini", "claud"} {
		for _, word := range userToolResultVendors {
			assert.Equal(t, strings.Contains(strings.ToLower(s), word), containsLower(s, word), "%q %q", s, word)
		}
	}
}
