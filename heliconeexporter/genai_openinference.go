package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// OpenInference flattens messages into attributes:
//
//	llm.input_messages.<i>.message.role | content | tool_call_id
//	llm.input_messages.<i>.message.contents.<j>.message_content.type | text | image.image.url
//	llm.input_messages.<i>.message.tool_calls.<j>.tool_call.id | function.name | function.arguments
//
// and the same under llm.output_messages; embedding inputs are
// embedding.embeddings.<i>.embedding.text.

// maxOIIndex bounds the indexes read, so that a stray huge index cannot allocate.
const maxOIIndex = 1024

type oiMessage struct {
	set       bool
	role      string
	content   string
	contents  []oiContent
	toolCalls []oiToolCall
}

type oiContent struct{ typ, text, imageURL string }

type oiToolCall struct{ id, name, args string }

// resetOI empties msgs, zeroing them so that growTo finds zero messages.
func resetOI(msgs []oiMessage) []oiMessage {
	clear(msgs[:cap(msgs)])
	return msgs[:0]
}

// setOIMessage records one attribute; rest is the key after the messages prefix.
func setOIMessage(msgs []oiMessage, rest string, v pcommon.Value) []oiMessage {
	i, field, ok := cutIndex(rest)
	if !ok {
		return msgs
	}
	if field, ok = strings.CutPrefix(field, "message."); !ok {
		return msgs
	}
	msgs = growTo(msgs, i)
	msg := &msgs[i]
	msg.set = true
	s := textOf(v)
	switch {
	case field == "role":
		msg.role = s
	case field == "content":
		msg.content = s
	case strings.HasPrefix(field, "contents."):
		j, f, ok := cutIndex(field[len("contents."):])
		if !ok {
			break
		}
		msg.contents = growTo(msg.contents, j)
		c := &msg.contents[j]
		switch strings.TrimPrefix(f, "message_content.") {
		case "type":
			c.typ = s
		case "text":
			c.text = s
		case "image.image.url":
			c.imageURL = s
		}
	case strings.HasPrefix(field, "tool_calls."):
		j, f, ok := cutIndex(field[len("tool_calls."):])
		if !ok {
			break
		}
		msg.toolCalls = growTo(msg.toolCalls, j)
		tc := &msg.toolCalls[j]
		switch strings.TrimPrefix(f, "tool_call.") {
		case "id":
			tc.id = s
		case "function.name":
			tc.name = s
		case "function.arguments":
			tc.args = s
		}
	}
	return msgs
}

// setOIEmbeddingText records embedding.embeddings.<i>.embedding.text.
func setOIEmbeddingText(texts []string, rest string, v pcommon.Value) []string {
	i, field, ok := cutIndex(rest)
	if !ok || field != "embedding.text" {
		return texts
	}
	texts = growTo(texts, i)
	texts[i] = textOf(v)
	return texts
}

// cutIndex splits "<i>.<rest>" into i and rest.
func cutIndex(s string) (int, string, bool) {
	digits, rest, ok := strings.Cut(s, ".")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(digits)
	if err != nil || i < 0 || i >= maxOIIndex {
		return 0, "", false
	}
	return i, rest, true
}

// growTo extends s to hold index i; elements past len(s) are zero (the callers clear
// the whole capacity when they reset).
func growTo[T any](s []T, i int) []T {
	switch {
	case i < len(s):
		return s
	case i < cap(s):
		return s[:i+1]
	}
	return append(s[:cap(s)], make([]T, i+1-cap(s))...)
}

func (m *genaiMapper) addOIPrompts() bool {
	for i := range m.oiIn {
		if msg := &m.oiIn[i]; msg.set {
			m.addPrompt(msg.role, m.appendOIMessage(m.text[:0], msg))
		}
	}
	return m.prompts > 0
}

// addOICompletions adds the output messages; OpenInference records one
// llm.finish_reason for the call.
func (m *genaiMapper) addOICompletions() bool {
	finish := m.str(srcOIFinishReason)
	for i := range m.oiOut {
		if msg := &m.oiOut[i]; msg.set {
			m.addCompletion(msg.role, m.appendOIMessage(m.text[:0], msg), finish)
		}
	}
	return m.completions > 0
}

// addEmbeddingInputs adds what was embedded as user messages: OpenInference's texts,
// the Vercel AI SDK's ai.values or ai.value (each a JSON value).
func (m *genaiMapper) addEmbeddingInputs() bool {
	for _, text := range m.embedTexts {
		if text != "" {
			m.addPrompt("user", append(m.text[:0], text...))
		}
	}
	if m.prompts > 0 {
		return true
	}
	if v, ok := m.get(srcAIValues); ok && v.Type() == pcommon.ValueTypeSlice {
		for i := 0; i < v.Slice().Len(); i++ {
			m.addPrompt("user", appendJSONText(m.text[:0], textOf(v.Slice().At(i))))
		}
	} else if s := m.str(srcAIValue); s != "" {
		m.addPrompt("user", appendJSONText(m.text[:0], s))
	}
	return m.prompts > 0
}

func (m *genaiMapper) appendOIMessage(b []byte, msg *oiMessage) []byte {
	start := len(b)
	b = append(b, msg.content...)
	for _, c := range msg.contents {
		switch {
		case c.text != "":
			b, _ = openLine(b, start)
			b = append(b, c.text...)
		case c.imageURL != "":
			b, _ = openLine(b, start)
			b = appendURI(b, "image", "", c.imageURL)
		}
	}
	for _, tc := range msg.toolCalls {
		b, _ = openLine(b, start)
		b = append(appendToolCallHead(b, tc.name, tc.id), tc.args...)
	}
	return b
}
