// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// OpenLLMetry (Traceloop) writes the attributes Helicone reads (helicone.go): its
// keys are the rank-0 sources, which the span already has for Helicone. Its
// traceloop.span.kind marks workflows, tasks, agents and tools, and
// traceloop.association.properties.<name> carries user metadata.
var (
	olSystem           = attr(keySystem)
	olResponseModel    = attr(keyModel)
	olRequestType      = attr(keyRequestType)
	olMaxTokens        = attr(keyMaxTokens)
	olPromptTokens     = attr(keyPromptTokens)
	olCompletionTokens = attr(keyCompletionTokens)
	olTotalTokens      = attr(keyTotalTokens)
	olUser             = attr(keyLLMUser)
)

var openLLMetry = convention{
	markers: []marker{
		{rank: 30, classify: func(attrs pcommon.Map) (Class, bool) {
			v, ok := attrs.Get("traceloop.span.kind")
			if !ok {
				return ClassOther, false
			}
			switch v.Str() {
			case "workflow", "task", "agent":
				return ClassWrapper, true
			case "tool":
				return ClassOther, true
			}
			return ClassOther, false
		}},
		{rank: 50, classify: func(attrs pcommon.Map) (Class, bool) {
			_, ok := attrs.Get(keyRequestType)
			return ClassLLM, ok
		}},
	},
	sources: []source{
		{field: fieldProvider, slot: olSystem},
		{field: fieldModel, slot: olResponseModel},
		{field: fieldRequestType, slot: olRequestType},
		{field: fieldMaxTokens, slot: olMaxTokens},
		{field: fieldPromptTokens, slot: olPromptTokens},
		{field: fieldCompletionTokens, slot: olCompletionTokens},
		{field: fieldTotalTokens, slot: olTotalTokens},
		{field: fieldUser, slot: olUser},
	},
	families: []family{{prefix: associationPrefix, read: func(m *Mapper, name string, v pcommon.Value) {
		if !strings.HasPrefix(name, "Helicone-") { // Helicone's own, already read as they are
			m.meta = append(m.meta, metaEntry{name: name, val: v})
		}
	}}},
}

// OpenLLMetry writes messages as gen_ai.prompt.N.* and gen_ai.completion.N.*, the
// keys Helicone reads, but not always as text: its Anthropic instrumentation (0.22)
// writes content as a JSON array of content blocks, and its OpenAI one writes tool
// calls only as gen_ai.completion.N.tool_calls.M.{id,name,arguments} (legacy
// function_call.{name,arguments}) beside an empty content. Helicone would show the
// raw JSON, or nothing; these contents are rewritten to rendered text (render.go).

// olMessage is one of the span's own messages.
type olMessage struct {
	set        bool
	role       string
	content    string
	hasContent bool
	toolCalls  []oiItem // in the order of olToolCallFields
}

var olToolCallFields = [3]string{"id", "name", "arguments"}

// olSpan holds the span's own messages: prompts, then completions.
type olSpan struct {
	msgs [2][]olMessage
}

// gatherOwnMessage notes an attribute gen_ai.prompt.* (group 0) or
// gen_ai.completion.* (group 1), rest being what follows the prefix: which groups
// the span has, and whether a message may need rewriting (content that may be
// content blocks, tool calls), so that a span whose messages are all text is not
// read twice.
func (m *Mapper) gatherOwnMessage(k string, g int, rest string, v pcommon.Value) {
	n, field, ok := messageNumber(k, rest)
	if !ok {
		return
	}
	if strings.HasSuffix(k, ".role") {
		m.hasPrompts = m.hasPrompts || g == 0
		m.hasCompletions = m.hasCompletions || g == 1
	}
	if m.ownToRewrite || n >= maxOIIndex {
		return
	}
	switch {
	case field == "content":
		m.ownToRewrite = v.Type() == pcommon.ValueTypeStr && mayBeBlocks(v.Str())
	case strings.HasPrefix(field, "tool_calls."), strings.HasPrefix(field, "function_call."):
		m.ownToRewrite = true
	}
}

// cutMessagePrefix returns the group of a key gen_ai.prompt.* or
// gen_ai.completion.*, and what follows the prefix.
func cutMessagePrefix(k string) (group int, rest string, ok bool) {
	if len(k) < len(promptPrefix) || k[len("gen_ai.")] != 'p' && k[len("gen_ai.")] != 'c' { // most keys
		return 0, "", false
	}
	if rest, ok = strings.CutPrefix(k, promptPrefix); ok {
		return 0, rest, true
	}
	rest, ok = strings.CutPrefix(k, completionPrefix)
	return 1, rest, ok
}

// messageNumber is MessageIndex's N of key, rest being what follows its prefix,
// and the field after N: read directly when N is a few digits, the common case.
func messageNumber(key, rest string) (n int, field string, ok bool) {
	dot := strings.IndexByte(rest, '.')
	if dot <= 0 || dot > 6 {
		_, n, ok = MessageIndex(key)
		return n, rest[dot+1:], ok
	}
	for i := 0; i < dot; i++ {
		c := rest[i]
		if c < '0' || c > '9' {
			_, n, ok = MessageIndex(key) // a sign: as strconv.Atoi reads it
			return n, rest[dot+1:], ok
		}
		n = n*10 + int(c-'0')
	}
	return n, rest[dot+1:], true
}

// rewriteOwnMessages replaces each own message content that is content blocks or
// that lacks its tool calls by its text.
func (m *Mapper) rewriteOwnMessages(attrs pcommon.Map) {
	for g := range m.ol.msgs {
		msgs := m.ol.msgs[g][:cap(m.ol.msgs[g])]
		for i := range msgs {
			msgs[i] = olMessage{toolCalls: resetItems(msgs[i].toolCalls)}
		}
		m.ol.msgs[g] = msgs[:0]
	}
	for k, v := range attrs.All() {
		g, n, ok := MessageIndex(k)
		if !ok || n >= maxOIIndex {
			continue
		}
		m.ol.msgs[g] = growTo(m.ol.msgs[g], n)
		msg := &m.ol.msgs[g][n]
		msg.set = true
		_, field, _ := strings.Cut(k[len(messagePrefixes[g]):], ".")
		switch {
		case field == "role":
			msg.role = textOf(v)
		case field == "content":
			msg.content, msg.hasContent = textOf(v), true
		case strings.HasPrefix(field, "tool_calls."):
			msg.toolCalls = setOIItem(msg.toolCalls, field[len("tool_calls."):], &olToolCallFields, textOf(v))
		case strings.HasPrefix(field, "function_call."):
			msg.toolCalls = setOIItem(msg.toolCalls, "0."+field[len("function_call."):], &olToolCallFields, textOf(v))
		}
	}
	for g, own := range [...]bool{m.hasPrompts, m.hasCompletions} {
		if !own { // the conventions' messages fill this group instead
			continue
		}
		for n := range m.ol.msgs[g] {
			if msg := &m.ol.msgs[g][n]; msg.set {
				m.rewriteOwnMessage(g, n, msg)
			}
		}
	}
}

func (m *Mapper) rewriteOwnMessage(g, n int, msg *olMessage) {
	var parts []jsonPart
	blocks := false
	if msg.hasContent {
		parts, blocks = m.dec.blocks(msg.content)
	}
	if !blocks && len(msg.toolCalls) == 0 {
		return // text: Helicone shows it as it is
	}
	text, role := m.text[:0], msg.role
	switch {
	case blocks:
		text = appendContent(text, &jsonContent{Parts: parts})
		if g == 0 {
			role = m.roleOf(role, parts)
		}
	case msg.content != "null": // "null": an assistant turn that only called tools
		text = append(text, msg.content...)
	}
	for _, tc := range msg.toolCalls {
		text, _ = openLine(text, 0)
		text = append(appendToolCallHead(text, tc[callName], tc[callID]), tc[callArgs]...)
	}
	if role != msg.role || msg.role == "" {
		m.arena = append(m.arena, Attr{Key: messageKey(g, n, msgRole), Str: cmpOr(role, [...]string{"user", "assistant"}[g]), Replace: true})
	}
	m.text = text[:0] // keep the grown buffer
	m.arena = append(m.arena, Attr{Key: messageKey(g, n, msgContent), Str: m.textString(text), Replace: true})
}
