// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// addMessages fills gen_ai.prompt.N.* and gen_ai.completion.N.* unless the span has
// them: from the first convention's attributes that have messages, then from events.
// The span's own messages are rewritten where they are not text.
func (m *Mapper) addMessages(span ptrace.Span) {
	if m.ownToRewrite && (m.hasPrompts || m.hasCompletions) {
		m.rewriteOwnMessages(span.Attributes())
	}
	if !m.hasPrompts {
		for _, src := range m.ix.prompts {
			if src.add(m) {
				break
			}
		}
	}
	if !m.hasCompletions {
		for _, src := range m.ix.complete {
			if src.add(m) {
				break
			}
		}
	}
	wantPrompts := !m.hasPrompts && m.prompts == 0
	wantCompletions := !m.hasCompletions && m.completions == 0
	if (wantPrompts || wantCompletions) && span.Events().Len() > 0 {
		for _, add := range m.ix.events {
			add(m, span.Events(), wantPrompts, wantCompletions)
		}
	}
}

// addPrompts adds the messages of a JSON array as prompts; it reports whether it added any.
func (m *Mapper) addPrompts(messages string) bool {
	before := m.prompts
	if messages != "" && m.parseMessages(messages) {
		for i := range m.msgs {
			msg := &m.msgs[i]
			m.addPrompt(m.roleOf(msg.Role, msg.parts()), appendMessage(m.text[:0], msg))
		}
	}
	return m.prompts > before
}

// addPrompt adds gen_ai.prompt.N.role and .content; Helicone needs the role to show one.
func (m *Mapper) addPrompt(role string, text []byte) {
	m.text = text[:0] // keep the grown buffer
	n := m.prompts
	m.prompts++
	m.arena = append(m.arena,
		Attr{Key: messageKey(0, n, msgRole), Str: cmpOr(role, "user")},
		Attr{Key: messageKey(0, n, msgContent), Str: m.textString(text)})
}

func (m *Mapper) addCompletion(role string, text []byte, finish string) {
	m.text = text[:0]
	n := m.completions
	m.completions++
	m.arena = append(m.arena,
		Attr{Key: messageKey(1, n, msgRole), Str: cmpOr(role, "assistant")},
		Attr{Key: messageKey(1, n, msgContent), Str: m.textString(text)})
	if finish != "" {
		m.arena = append(m.arena, Attr{Key: messageKey(1, n, msgFinishReason), Str: finish})
	}
}

// roleOf is the role to show for a message: a user message that only returns tool
// results went to the API as a tool message when the API has that role (OpenAI's),
// though pydantic-ai and Strands record it as user; Anthropic, Bedrock and Gemini
// take tool results in user messages, and their servers saw user.
func (m *Mapper) roleOf(role string, parts []jsonPart) string {
	if role != "user" || !allToolResults(parts) {
		return role
	}
	provider, _ := m.firstStr(fieldProvider)
	model, _ := m.firstStr(fieldModel)
	for _, s := range [...]string{provider, model} {
		for _, vendor := range userToolResultVendors {
			if containsLower(s, vendor) {
				return role
			}
		}
	}
	return "tool"
}

// containsLower reports whether strings.ToLower(s) contains the lower-case word,
// without a lower-case copy of an ASCII s.
func containsLower(s, word string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(s), word)
		}
	}
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// userToolResultVendors name, in a provider or model, the APIs without a tool role.
var userToolResultVendors = [...]string{"anthropic", "claude", "bedrock", "gemini", "google", "vertex"}

// parts is the message's parts, in whichever field it has them.
func (msg *jsonMessage) parts() []jsonPart {
	if len(msg.Parts) > 0 {
		return msg.Parts
	}
	return msg.Content.Parts
}

// textString copies a rendered message, cut to the configured cap (a quarter of
// max_request_size) so that a span with its original attributes still fits a request.
// The texts of a push share m.texts, which the next push reuses (what Map returns is
// valid until then): a message costs no allocation once it has grown.
func (m *Mapper) textString(b []byte) string {
	if limit := m.maxContent; len(b) > limit {
		m.issues[IssueTruncated]++
		cut, total := limit, len(b)
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		b = append(append(b[:cut], "… [truncated: "...), strconv.Itoa(cut)...)
		b = append(append(append(b, " of "...), strconv.Itoa(total)...), " bytes]"...)
	}
	if len(b) == 0 {
		return ""
	}
	if cap(m.texts)-len(m.texts) < len(b) {
		// A new buffer: the strings made so far keep the old one alive.
		m.texts = make([]byte, 0, max(2*cap(m.texts), len(b), minTexts))
	}
	lo := len(m.texts)
	m.texts = append(m.texts, b...)
	return unsafeString(m.texts[lo:])
}

// minTexts is the size of the first buffer of message texts.
const minTexts = 64 << 10

const (
	msgRole = iota
	msgContent
	msgFinishReason
)

var (
	messageFields   = [...]string{"role", "content", "finish_reason"}
	messagePrefixes = [...]string{promptPrefix, completionPrefix}
	// messageKeys caches gen_ai.{prompt,completion}.N.{role,content,finish_reason}.
	messageKeys = func() (k [2][32][3]string) {
		for g, prefix := range messagePrefixes {
			for n := range k[g] {
				for f, field := range messageFields {
					k[g][n][f] = prefix + strconv.Itoa(n) + "." + field
				}
			}
		}
		return k
	}()
)

func messageKey(group, n, field int) string {
	if n < len(messageKeys[group]) {
		return messageKeys[group][n][field]
	}
	return messagePrefixes[group] + strconv.Itoa(n) + "." + messageFields[field]
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// parseMessages decodes a JSON array of messages into m.msgs, valid until the next
// use of m.dec.
func (m *Mapper) parseMessages(s string) bool {
	clear(m.msgs) // those beyond were cleared before the last decoding wrote these
	m.msgs = m.msgs[:0]
	v, ok := m.parseJSON(s, "[")
	if ok {
		m.msgs = m.dec.messages(v, m.msgs)
	}
	return ok
}

// parseJSON checks s with genaijson, counting it as malformed unless it is JSON that
// opens with one of the bytes of opens, and resets m.dec for decoding it.
func (m *Mapper) parseJSON(s, opens string) (genaijson.Value, bool) {
	v, err := m.dec.idx.Parse(s)
	if err != nil || strings.IndexByte(opens, v.Raw()[0]) < 0 {
		m.issues[IssueMalformedJSON]++
		return genaijson.Value{}, false
	}
	m.dec.reset()
	return v, true
}
