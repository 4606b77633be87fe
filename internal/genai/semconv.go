// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// The OpenTelemetry GenAI semantic conventions: gen_ai.operation.name says what a
// span is, gen_ai.provider.name and gen_ai.request.model name the call,
// gen_ai.usage.* count its tokens, and gen_ai.system_instructions,
// gen_ai.input.messages and gen_ai.output.messages hold its messages as JSON.
var (
	scProviderName     = attr("gen_ai.provider.name")
	scRequestModel     = attr("gen_ai.request.model")
	scOperation        = attr("gen_ai.operation.name")
	scRequestMaxTokens = attr("gen_ai.request.max_tokens")
	scInputTokens      = attr("gen_ai.usage.input_tokens")
	scOutputTokens     = attr("gen_ai.usage.output_tokens")
	scTotalTokens      = attr("gen_ai.usage.total_tokens")
	scUserID           = attr("user.id")
	scEnduserID        = attr("enduser.id")
	scSessionID        = attr("session.id")
	scConversationID   = attr("gen_ai.conversation.id")
	scInstructions     = attr("gen_ai.system_instructions")
	scInputMessages    = attr("gen_ai.input.messages")
	scOutputMessages   = attr("gen_ai.output.messages")
	scFinishReasons    = attr("gen_ai.response.finish_reasons")
)

var semconv = convention{
	markers: []marker{
		{rank: 40, classify: func(attrs pcommon.Map) (Class, bool) {
			v, ok := attrs.Get("gen_ai.operation.name")
			if !ok {
				return ClassOther, false
			}
			switch operationType(v.Str()) {
			case "":
				return ClassOther, false
			case "wrapper":
				return ClassWrapper, true
			case "tool":
				return ClassOther, true
			}
			return ClassLLM, true
		}},
		// The last resort: a provider and a model make an LLM call.
		{rank: 60, classify: func(attrs pcommon.Map) (Class, bool) {
			if hasAny(attrs, "gen_ai.system", "gen_ai.provider.name") && hasAny(attrs, "gen_ai.request.model", "gen_ai.response.model") {
				return ClassLLM, true
			}
			return ClassOther, false
		}},
	},
	sources: []source{
		{field: fieldProvider, rank: 10, slot: scProviderName},
		{field: fieldModel, rank: 40, slot: scRequestModel},
		{field: fieldRequestType, rank: 10, slot: scOperation, requestType: func(op string) string {
			if t := operationType(op); t != "wrapper" && t != "tool" {
				return t
			}
			return ""
		}},
		{field: fieldMaxTokens, rank: 10, slot: scRequestMaxTokens},
		{field: fieldPromptTokens, rank: 10, slot: scInputTokens},
		{field: fieldCompletionTokens, rank: 10, slot: scOutputTokens},
		{field: fieldTotalTokens, rank: 10, slot: scTotalTokens},
		{field: fieldUser, rank: 10, slot: scUserID},
		{field: fieldUser, rank: 20, slot: scEnduserID},
		{field: fieldSession, rank: 10, slot: scSessionID},
		{field: fieldSession, rank: 20, slot: scConversationID},
	},
	prompts: []messageSource{{rank: 10, add: func(m *Mapper) bool {
		return m.promptsFromJSON(jsonText(m.get(scInstructions)), jsonText(m.get(scInputMessages)))
	}}},
	completions: []messageSource{{rank: 10, add: func(m *Mapper) bool {
		return m.completionsFromJSON(jsonText(m.get(scOutputMessages)), finishReasonsOf(m.get(scFinishReasons)))
	}}},
	events: (*Mapper).addEventMessages,
}

// operationType maps gen_ai.operation.name to Helicone's request type (chat,
// completion, embedding), or to "wrapper" or "tool"; "" when unknown.
func operationType(op string) string {
	switch op {
	case "chat", "generate_content":
		return "chat"
	case "text_completion", "completion":
		return "completion"
	case "embeddings", "embedding":
		return "embedding"
	case "invoke_agent", "create_agent", "invoke_workflow":
		return "wrapper"
	case "execute_tool":
		return "tool"
	}
	return ""
}

func hasAny(attrs pcommon.Map, keys ...string) bool {
	for _, k := range keys {
		if _, ok := attrs.Get(k); ok {
			return true
		}
	}
	return false
}

// promptsFromJSON adds the GenAI conventions' system instructions (a JSON array of
// parts) and input messages (a JSON array of messages); it reports whether it added any.
func (m *Mapper) promptsFromJSON(instructions, input string) bool {
	before := m.prompts
	if instructions != "" {
		if v, ok := m.parseJSON(instructions, `["`); ok {
			var c jsonContent
			m.dec.content(&c, v)
			m.addPrompt("system", appendContent(m.text[:0], &c))
		}
	}
	m.addPrompts(input)
	return m.prompts > before
}

// completionsFromJSON adds the GenAI conventions' output messages; a message without
// a finish_reason takes the span's gen_ai.response.finish_reasons at its index.
func (m *Mapper) completionsFromJSON(output string, finishReasons pcommon.Slice) bool {
	if output == "" || !m.parseMessages(output) {
		return false
	}
	for i := range m.msgs {
		msg := &m.msgs[i]
		finish := msg.FinishReason
		if finish == "" && i < finishReasons.Len() {
			finish = finishReasons.At(i).AsString()
		}
		m.addCompletion(msg.Role, appendMessage(m.text[:0], msg), finish)
	}
	return len(m.msgs) > 0
}

// emptySlice stands for a missing gen_ai.response.finish_reasons.
var emptySlice = pcommon.NewSlice()

func finishReasonsOf(v pcommon.Value, ok bool) pcommon.Slice {
	if ok && v.Type() == pcommon.ValueTypeSlice {
		return v.Slice()
	}
	return emptySlice
}

// Before gen_ai.input.messages, the GenAI conventions recorded messages as events,
// which some instrumentations still put on the span:
//
//	gen_ai.content.prompt / gen_ai.content.completion   attribute gen_ai.prompt / gen_ai.completion:
//	                                                    a JSON array of OpenAI-style messages
//	gen_ai.{system,user,assistant,tool}.message         attribute gen_ai.event.content: a JSON
//	                                                    message, or a plain content attribute
//	gen_ai.choice                                       gen_ai.event.content: {index, finish_reason, message}
//	gen_ai.client.inference.operation.details           gen_ai.input.messages, gen_ai.output.messages,
//	                                                    gen_ai.system_instructions as on the span

// addEventMessages adds the messages of the span's events, in event order.
func (m *Mapper) addEventMessages(events ptrace.SpanEventSlice, prompts, completions bool) {
	for i := 0; i < events.Len(); i++ {
		ev := events.At(i)
		attrs := ev.Attributes()
		switch name := ev.Name(); name {
		case "gen_ai.client.inference.operation.details":
			if prompts {
				m.promptsFromJSON(jsonText(attrs.Get("gen_ai.system_instructions")), jsonText(attrs.Get("gen_ai.input.messages")))
			}
			if completions {
				m.completionsFromJSON(jsonText(attrs.Get("gen_ai.output.messages")), finishReasonsOf(attrs.Get("gen_ai.response.finish_reasons")))
			}
		case "gen_ai.content.prompt":
			if prompts {
				m.addPrompts(strAttr(attrs, "gen_ai.prompt"))
			}
		case "gen_ai.content.completion":
			if s := strAttr(attrs, "gen_ai.completion"); completions && s != "" && m.parseMessages(s) {
				for j := range m.msgs {
					m.addCompletion(m.msgs[j].Role, appendMessage(m.text[:0], &m.msgs[j]), m.msgs[j].FinishReason)
				}
			}
		case "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message":
			if prompts {
				role := strings.TrimSuffix(strings.TrimPrefix(name, "gen_ai."), ".message")
				if msg, ok := m.eventMessage(attrs); ok {
					m.addPrompt(m.roleOf(cmpOr(msg.Role, role), msg.parts()), appendMessage(m.text[:0], &msg))
				}
			}
		case "gen_ai.choice":
			if msg, ok := m.eventMessage(attrs); completions && ok {
				finish := cmpOr(msg.FinishReason, strAttr(attrs, "finish_reason"))
				role := "assistant"
				if msg.Message != nil {
					finish, role = cmpOr(finish, msg.Message.FinishReason), cmpOr(msg.Message.Role, role)
				}
				m.addCompletion(role, appendMessage(m.text[:0], &msg), finish)
			}
		}
	}
}

// eventMessage reads a message event: gen_ai.event.content as JSON, else the content
// and role attributes (Strands: a gen_ai.choice's text is in message), where the
// content is text or a JSON array of content blocks (Strands: Bedrock's).
func (m *Mapper) eventMessage(attrs pcommon.Map) (jsonMessage, bool) {
	var msg jsonMessage
	if s := strAttr(attrs, "gen_ai.event.content"); s != "" {
		v, ok := m.parseJSON(s, "{")
		if ok {
			m.dec.message(v, &msg)
		}
		return msg, ok
	}
	content, ok := attrs.Get("content")
	if !ok {
		if content, ok = attrs.Get("message"); !ok {
			return msg, false
		}
	}
	msg.Role = strAttr(attrs, "role")
	text := textOf(content)
	if parts, ok := m.dec.blocks(text); ok {
		msg.Content.Parts = parts
	} else {
		msg.Content.Text = text
	}
	return msg, true
}

// jsonText is a value that holds JSON: a string as it is, a structured value (which
// the conventions prefer where an SDK can record one) as its JSON.
func jsonText(v pcommon.Value, ok bool) string {
	switch {
	case !ok:
		return ""
	case v.Type() == pcommon.ValueTypeStr:
		return v.Str()
	case v.Type() == pcommon.ValueTypeSlice || v.Type() == pcommon.ValueTypeMap:
		return v.AsString()
	}
	return ""
}

func strAttr(attrs pcommon.Map, key string) string {
	if v, ok := attrs.Get(key); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}
