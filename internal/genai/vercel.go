// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// The Vercel AI SDK records on its provider call spans (ai.generateText.doGenerate,
// ai.streamText.doStream, ...) the prompt as ai.prompt.messages, a JSON array of
// {role, content: string or parts}, and the answer as ai.response.text,
// ai.response.toolCalls (a JSON array of {toolCallId, toolName, input}) or
// ai.response.object, with ai.response.finishReason. Embeddings record their inputs
// as ai.values or ai.value; ai.telemetry.metadata.<name> is user metadata.
var (
	vOperationID     = attr("ai.operationId")
	vProvider        = attr("ai.model.provider")
	vResponseModel   = attr("ai.response.model")
	vModelID         = attr("ai.model.id")
	vMaxTokens       = attr("ai.settings.maxOutputTokens", "ai.settings.maxTokens")
	vInputTokens     = attr("ai.usage.inputTokens", "ai.usage.promptTokens")
	vOutputTokens    = attr("ai.usage.outputTokens", "ai.usage.completionTokens")
	vTotalTokens     = attr("ai.usage.totalTokens")
	vEmbeddingTokens = attr("ai.usage.tokens")
	vPromptMessages  = attr("ai.prompt.messages")
	vResponseText    = attr("ai.response.text")
	vToolCalls       = attr("ai.response.toolCalls")
	vResponseObject  = attr("ai.response.object")
	vFinishReason    = attr("ai.response.finishReason")
	vValues          = attr("ai.values")
	vValue           = attr("ai.value")
)

var vercel = convention{
	markers: []marker{{rank: 10, classify: func(attrs pcommon.Map) (Class, bool) {
		v, ok := attrs.Get("ai.operationId")
		if !ok {
			return ClassOther, false
		}
		return vercelClass(v.Str()), true
	}}},
	sources: []source{
		{field: fieldProvider, rank: 40, slot: vProvider},
		{field: fieldModel, rank: 10, slot: vResponseModel},
		{field: fieldModel, rank: 50, slot: vModelID},
		{field: fieldRequestType, rank: 30, slot: vOperationID, requestType: func(id string) string {
			switch {
			case strings.HasSuffix(id, ".doEmbed"):
				return "embedding"
			case strings.HasSuffix(id, ".doGenerate"), strings.HasSuffix(id, ".doStream"):
				return "chat"
			}
			return ""
		}},
		{field: fieldMaxTokens, rank: 20, slot: vMaxTokens},
		{field: fieldPromptTokens, rank: 30, slot: vInputTokens},
		{field: fieldPromptTokens, rank: 40, slot: vEmbeddingTokens},
		{field: fieldCompletionTokens, rank: 30, slot: vOutputTokens},
		{field: fieldTotalTokens, rank: 30, slot: vTotalTokens},
	},
	families: []family{{prefix: "ai.telemetry.metadata.", read: func(m *Mapper, name string, v pcommon.Value) {
		m.meta = append(m.meta, metaEntry{name: name, val: v})
	}}},
	prompts: []messageSource{
		{rank: 30, add: func(m *Mapper) bool { return m.addPrompts(m.str(vPromptMessages)) }},
		{rank: 50, add: (*Mapper).addVercelEmbeddingInputs},
	},
	completions: []messageSource{{rank: 30, add: (*Mapper).addVercelCompletion}},
}

// vercelClass: ai.generateText.doGenerate, ai.streamText.doStream, ai.embed.doEmbed
// (and the same under generateObject, streamObject, embedMany) are the calls to the
// provider; ai.generateText and the like wrap them, ai.toolCall runs a tool.
func vercelClass(operationID string) Class {
	switch {
	case strings.HasSuffix(operationID, ".doGenerate"), strings.HasSuffix(operationID, ".doStream"), strings.HasSuffix(operationID, ".doEmbed"):
		return ClassLLM
	case operationID == "ai.toolCall":
		return ClassOther
	default:
		return ClassWrapper
	}
}

// addVercelCompletion adds the one answer of the call: its text or object, then its
// tool calls.
func (m *Mapper) addVercelCompletion() bool {
	_, hasText := m.get(vResponseText)
	_, hasObject := m.get(vResponseObject)
	calls := m.str(vToolCalls)
	if !hasText && !hasObject && calls == "" {
		return false
	}
	b := append(m.text[:0], m.str(vResponseText)...)
	b = append(b, m.str(vResponseObject)...)
	if calls != "" {
		if v, ok := m.parseJSON(calls, "["); ok {
			var parts []jsonPart
			m.dec.partList(&parts, v)
			for i := range parts {
				b, _ = openLine(b, 0)
				b = appendJSONValue(appendToolCallHead(b, parts[i].ToolName, parts[i].ToolCallID), firstRaw(parts[i].Input, parts[i].Args))
			}
		}
	}
	if len(b) == 0 && !hasText && !hasObject {
		return false // only tool calls, and those malformed
	}
	m.addCompletion("assistant", b, m.str(vFinishReason))
	return true
}

// addVercelEmbeddingInputs adds what was embedded, ai.values or ai.value (each a
// JSON value), as user messages.
func (m *Mapper) addVercelEmbeddingInputs() bool {
	if v, ok := m.get(vValues); ok && v.Type() == pcommon.ValueTypeSlice {
		for i := 0; i < v.Slice().Len(); i++ {
			m.addPrompt("user", appendJSONText(m.text[:0], textOf(v.Slice().At(i))))
		}
	} else if s := m.str(vValue); s != "" {
		m.addPrompt("user", appendJSONText(m.text[:0], s))
	}
	return m.prompts > 0
}
