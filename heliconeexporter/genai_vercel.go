package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

// The Vercel AI SDK records on its provider call spans (ai.generateText.doGenerate,
// ai.streamText.doStream, ...) the prompt as ai.prompt.messages, a JSON array of
// {role, content: string or parts}, and the answer as ai.response.text,
// ai.response.toolCalls (a JSON array of {toolCallId, toolName, input}) or
// ai.response.object, with ai.response.finishReason.

func (m *genaiMapper) addVercelPrompts() bool {
	messages := m.str(srcAIPromptMessages)
	if messages == "" || !m.parseMessages(messages) {
		return false
	}
	for i := range m.msgs {
		m.addPrompt(m.msgs[i].Role, m.appendMessage(m.text[:0], &m.msgs[i]))
	}
	return m.prompts > 0
}

// addVercelCompletion adds the one answer of the call: its text or object, then its
// tool calls.
func (m *genaiMapper) addVercelCompletion() bool {
	_, hasText := m.get(srcAIResponseText)
	_, hasObject := m.get(srcAIResponseObject)
	calls := m.str(srcAIResponseToolCalls)
	if !hasText && !hasObject && calls == "" {
		return false
	}
	b := append(m.text[:0], m.str(srcAIResponseText)...)
	b = append(b, m.str(srcAIResponseObject)...)
	if calls != "" {
		var parts []jsonPart
		if m.parse(calls, "[", &parts) {
			for i := range parts {
				b, _ = openLine(b, 0)
				b = appendJSONValue(appendToolCallHead(b, parts[i].ToolName, parts[i].ToolCallID), firstRaw(parts[i].Input, parts[i].Args))
			}
		}
	}
	if len(b) == 0 && !hasText && !hasObject {
		return false // only tool calls, and those malformed
	}
	m.addCompletion("assistant", b, m.str(srcAIFinishReason))
	return true
}
