// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// Pydantic Logfire's OpenAI and Anthropic client instrumentation names a request span
// by its endpoint (logfire.msg_template "Chat Completion with {request_data[model]!r}",
// ...) and records the call as JSON attributes:
//
//	request_data    the request body: model, messages (Anthropic: and system), prompt, input
//	response_data   {message: {role, content, tool_calls}, usage} (chat), {text,
//	                finish_reason, usage} (completion), {combined_chunk_content} (stream)
//	events          a JSON array of messages, each with its event.name (Responses API:
//	                the input items, then the output items; pydantic-ai v1 writes the same)
//
// Newer versions add the GenAI conventions' attributes, which are read first. A
// streamed call's response comes on a separate zero-length "streaming response from
// 'model' took 1.23s" span (logfire.span_type=log), which is no call of its own
// (frameworkClass in select.go leaves it out).
var (
	lfMsgTemplate = attr("logfire.msg_template")
	lfRequest     = attr("request_data")
	lfResponse    = attr("response_data")
	lfEvents      = attr("events")
)

// lfEndpoints maps the start of a request span's template to Helicone's request type.
var lfEndpoints = [...]struct{ template, requestType, provider string }{
	{"Chat Completion with", "chat", "openai"},
	{"Responses API with", "chat", "openai"},
	{"Completion with", "completion", "openai"},
	{"Embedding Creation with", "embedding", "openai"},
	{"Message with", "chat", "anthropic"},
}

func lfEndpoint(template string) (requestType, provider string, ok bool) {
	for _, e := range lfEndpoints {
		if strings.HasPrefix(template, e.template) {
			return e.requestType, e.provider, true
		}
	}
	return "", "", false
}

var logfire = convention{
	markers: []marker{
		{rank: 55, classify: func(attrs pcommon.Map) (Class, bool) {
			_, _, ok := lfEndpoint(strAttr(attrs, "logfire.msg_template"))
			return ClassLLM, ok && hasAny(attrs, "request_data")
		}},
	},
	sources: []source{
		{field: fieldProvider, rank: 50, slot: lfMsgTemplate, str: func(t string) string { _, p, _ := lfEndpoint(t); return p }},
		{field: fieldModel, rank: 60, slot: lfRequest, str: lfModel},
		{field: fieldRequestType, rank: 50, slot: lfMsgTemplate, requestType: func(t string) string { rt, _, _ := lfEndpoint(t); return rt }},
		{field: fieldPromptTokens, rank: 50, slot: lfResponse, count: lfUsage(lfPromptTokens, lfInputTokens)},
		{field: fieldCompletionTokens, rank: 50, slot: lfResponse, count: lfUsage(lfCompletionTokens, lfOutputTokens)},
		{field: fieldTotalTokens, rank: 50, slot: lfResponse, count: lfUsage(lfTotalTokens)},
	},
	prompts: []messageSource{
		{rank: 50, add: func(m *Mapper) bool { return m.addEventsJSON(m.str(lfEvents), true) }},
		{rank: 51, add: (*Mapper).addLogfireRequest},
	},
	completions: []messageSource{
		{rank: 50, add: func(m *Mapper) bool { return m.addEventsJSON(m.str(lfEvents), false) }},
		{rank: 51, add: (*Mapper).addLogfireResponse},
	},
}

// The counts of response_data.usage, by index in lfUsageNames.
const (
	lfPromptTokens = iota
	lfCompletionTokens
	lfTotalTokens
	lfInputTokens // Anthropic
	lfOutputTokens
)

var lfUsageNames = [...]string{"prompt_tokens", "completion_tokens", "total_tokens", "input_tokens", "output_tokens"}

// lfUsage reads one count of response_data.usage: the first of counts it has.
func lfUsage(counts ...int) func(pcommon.Value) (int64, bool) {
	return func(v pcommon.Value) (int64, bool) {
		if v.Type() != pcommon.ValueTypeStr {
			return 0, false
		}
		resp, ok := paramsObject(v.Str())
		if !ok {
			return 0, false
		}
		var n [len(lfUsageNames)]int64
		var set [len(lfUsageNames)]bool
		if !intMembers(get(resp, "usage"), lfUsageNames[:], n[:], set[:]) {
			return 0, false
		}
		for _, c := range counts {
			if set[c] {
				return n[c], isSafeInt(n[c])
			}
		}
		return 0, false
	}
}

// addLogfireRequest adds request_data's messages: Anthropic's system, then messages;
// or a completion's prompt, or what was embedded.
func (m *Mapper) addLogfireRequest() bool {
	data := m.str(lfRequest)
	if data == "" {
		return false
	}
	req, ok := m.parseJSON(data, "{")
	if !ok {
		return false
	}
	var system jsonContent
	var messages, prompt, input rawJSON
	fields(&m.dec.idx, req, lfRequestNames[:], func(name string, val genaijson.Value) bool {
		switch name {
		case "system":
			m.dec.content(&system, val)
		case "messages":
			messages.Value = val
		case "prompt":
			prompt.Value = val
		case "input":
			input.Value = val
		default:
			return false
		}
		return true
	})
	if system.Text != "" || len(system.Parts) > 0 {
		m.addPrompt("system", appendContent(m.text[:0], &system))
	}
	if messages.Kind() != genaijson.Missing {
		m.addPrompts(messages.Raw())
	}
	m.addTextPrompts(firstRaw(prompt, input))
	return m.prompts > 0
}

var (
	lfRequestNames  = [...]string{"system", "messages", "prompt", "input"}
	lfResponseNames = [...]string{"message", "text", "combined_chunk_content", "finish_reason"}
)

// lfModel is request_data's model: its last string "model" member, as encoding/json
// decoded it (other types skipped).
func lfModel(data string) string {
	req, err := genaijson.Parse(data)
	if err != nil {
		return ""
	}
	model := ""
	fields(nil, req, []string{"model"}, func(name string, val genaijson.Value) bool {
		if name != "model" {
			return false
		}
		if s, ok := (rawJSON{val}).text(); ok {
			model = s
		}
		return true
	})
	return model
}

// addTextPrompts adds a JSON string, or each element of a JSON array, as a user message.
func (m *Mapper) addTextPrompts(raw rawJSON) {
	switch raw.Kind() {
	case genaijson.Missing:
	case genaijson.Array:
		it := raw.Elements()
		for {
			item, ok := it.Next()
			if !ok {
				break
			}
			m.addPrompt("user", appendJSONValue(m.text[:0], rawJSON{item}))
		}
	default:
		m.addPrompt("user", appendJSONValue(m.text[:0], raw))
	}
}

// addLogfireResponse adds response_data's message, completion text or streamed text.
func (m *Mapper) addLogfireResponse() bool {
	data := m.str(lfResponse)
	if data == "" {
		return false
	}
	resp, ok := m.parseJSON(data, "{")
	if !ok {
		return false
	}
	var msg jsonMessage
	hasMessage := false // as encoding/json decoded into a *jsonMessage: null is none
	var text, combined, finish string
	fields(&m.dec.idx, resp, lfResponseNames[:], func(name string, val genaijson.Value) bool {
		switch name {
		case "message":
			if hasMessage = val.Kind() != genaijson.Null; hasMessage {
				m.dec.message(val, &msg)
			} else {
				msg = jsonMessage{}
			}
		case "text":
			m.dec.string(&text, val)
		case "combined_chunk_content":
			m.dec.string(&combined, val)
		case "finish_reason":
			m.dec.keepString(&finish, val)
		default:
			return false
		}
		return true
	})
	switch {
	case hasMessage:
		m.addCompletion(msg.Role, appendMessage(m.text[:0], &msg), finish)
	case text != "" || combined != "":
		m.addCompletion("assistant", append(m.text[:0], cmpOr(text, combined)...), finish)
	}
	return m.completions > 0
}

// addEventsJSON adds the prompts, or the completions, of a JSON array of events. The
// completions are the gen_ai.choice events, else (Logfire's Responses API, which
// appends the output items) the assistant messages after the last other message.
// gen_ai.unknown events are left out.
func (m *Mapper) addEventsJSON(events string, prompts bool) bool {
	if events == "" || !m.parseMessages(events) {
		return false
	}
	outputs := len(m.msgs)
	for i := range m.msgs {
		if m.msgs[i].EventName == "gen_ai.choice" {
			outputs = -1
			break
		}
	}
	if outputs >= 0 {
		for outputs > 0 && (eventRole(&m.msgs[outputs-1]) == "assistant" || isUnknownEvent(&m.msgs[outputs-1])) {
			outputs--
		}
	}
	before := m.prompts + m.completions
	for i := range m.msgs {
		msg := &m.msgs[i]
		if isUnknownEvent(msg) {
			continue
		}
		output := msg.EventName == "gen_ai.choice" || (outputs >= 0 && i >= outputs)
		switch {
		case prompts && !output:
			m.addPrompt(m.roleOf(eventRole(msg), msg.parts()), appendMessage(m.text[:0], msg))
		case !prompts && output:
			finish := msg.FinishReason
			if msg.Message != nil {
				finish = cmpOr(finish, msg.Message.FinishReason)
			}
			m.addCompletion(eventRole(msg), appendMessage(m.text[:0], msg), finish)
		}
	}
	return m.prompts+m.completions > before
}

// isUnknownEvent tells Logfire's gen_ai.unknown, an item it could not convert (a
// reasoning item, ...), whose content only says to see the JSON: no message.
func isUnknownEvent(msg *jsonMessage) bool { return msg.EventName == "gen_ai.unknown" }

// eventRole is a message's role, else the one its event names (gen_ai.user.message).
func eventRole(msg *jsonMessage) string {
	if msg.Message != nil && msg.Message.Role != "" {
		return msg.Message.Role
	}
	if msg.Role != "" {
		return msg.Role
	}
	if msg.EventName == "gen_ai.choice" {
		return "assistant"
	}
	return strings.TrimSuffix(strings.TrimPrefix(msg.EventName, "gen_ai."), ".message")
}

// jsonOf is JSON held in a string, or missing when it is not JSON.
func jsonOf(s string) rawJSON {
	v, _ := genaijson.Parse(s)
	return rawJSON{v}
}
