package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

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
func (m *genaiMapper) addEventMessages(events ptrace.SpanEventSlice, prompts, completions bool) {
	for i := 0; i < events.Len(); i++ {
		ev := events.At(i)
		attrs := ev.Attributes()
		switch name := ev.Name(); name {
		case "gen_ai.client.inference.operation.details":
			if prompts {
				m.promptsFromJSON(strAttr(attrs, "gen_ai.system_instructions"), strAttr(attrs, "gen_ai.input.messages"))
			}
			if completions {
				m.completionsFromJSON(strAttr(attrs, "gen_ai.output.messages"), finishReasonsOf(attrs.Get("gen_ai.response.finish_reasons")))
			}
		case "gen_ai.content.prompt":
			if s := strAttr(attrs, "gen_ai.prompt"); prompts && s != "" && m.parseMessages(s) {
				for j := range m.msgs {
					m.addPrompt(m.msgs[j].Role, m.appendMessage(m.text[:0], &m.msgs[j]))
				}
			}
		case "gen_ai.content.completion":
			if s := strAttr(attrs, "gen_ai.completion"); completions && s != "" && m.parseMessages(s) {
				for j := range m.msgs {
					m.addCompletion(m.msgs[j].Role, m.appendMessage(m.text[:0], &m.msgs[j]), m.msgs[j].FinishReason)
				}
			}
		case "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message":
			if prompts {
				role := strings.TrimSuffix(strings.TrimPrefix(name, "gen_ai."), ".message")
				if msg, ok := m.eventMessage(attrs); ok {
					m.addPrompt(cmpOr(msg.Role, role), m.appendMessage(m.text[:0], &msg))
				}
			}
		case "gen_ai.choice":
			if msg, ok := m.eventMessage(attrs); completions && ok {
				finish := cmpOr(msg.FinishReason, strAttr(attrs, "finish_reason"))
				role := "assistant"
				if msg.Message != nil {
					finish, role = cmpOr(finish, msg.Message.FinishReason), cmpOr(msg.Message.Role, role)
				}
				m.addCompletion(role, m.appendMessage(m.text[:0], &msg), finish)
			}
		}
	}
}

// eventMessage reads a message event: gen_ai.event.content as JSON, else the plain
// content and role attributes.
func (m *genaiMapper) eventMessage(attrs pcommon.Map) (jsonMessage, bool) {
	var msg jsonMessage
	if s := strAttr(attrs, "gen_ai.event.content"); s != "" {
		return msg, m.parse(s, "{", &msg)
	}
	content, ok := attrs.Get("content")
	if !ok {
		return msg, false
	}
	msg.Role = strAttr(attrs, "role")
	msg.Content.Text = textOf(content)
	return msg, true
}

func strAttr(attrs pcommon.Map, key string) string {
	if v, ok := attrs.Get(key); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}
