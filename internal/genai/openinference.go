// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// OpenInference flattens messages into attributes:
//
//	llm.input_messages.<i>.message.role | content | tool_call_id
//	llm.input_messages.<i>.message.contents.<j>.message_content.type | text | image.image.url
//	llm.input_messages.<i>.message.tool_calls.<j>.tool_call.id | function.name | function.arguments
//
// and the same under llm.output_messages; embedding inputs are
// embedding.embeddings.<i>.embedding.text. openinference.span.kind says what a span
// is, llm.provider, llm.model_name and llm.token_count.* name and count the call, and
// metadata is a JSON object of user metadata.
var (
	oiKind             = attr("openinference.span.kind")
	oiProvider         = attr("llm.provider")
	oiSystem           = attr("llm.system")
	oiModelName        = attr("llm.model_name")
	oiEmbeddingModel   = attr("embedding.model_name")
	oiInvocationParams = attr("llm.invocation_parameters")
	oiPromptTokens     = attr("llm.token_count.prompt")
	oiCompletionTokens = attr("llm.token_count.completion")
	oiTotalTokens      = attr("llm.token_count.total")
	oiFinishReason     = attr("llm.finish_reason")
	oiMetadata         = attr("metadata")
)

var openInference = convention{
	markers: []marker{{rank: 20, classify: func(attrs pcommon.Map) (Class, bool) {
		v, ok := attrs.Get("openinference.span.kind")
		if !ok {
			return ClassOther, false
		}
		switch strings.ToUpper(v.Str()) {
		case "LLM", "EMBEDDING":
			return ClassLLM, true
		case "CHAIN", "AGENT":
			return ClassWrapper, true
		case "TOOL", "RETRIEVER", "RERANKER", "GUARDRAIL", "EVALUATOR", "PROMPT":
			return ClassOther, true
		}
		return ClassOther, false
	}}},
	sources: []source{
		// llm.provider is the host (azure), llm.system the API (openai).
		{field: fieldProvider, rank: 20, slot: oiProvider},
		{field: fieldProvider, rank: 30, slot: oiSystem},
		{field: fieldModel, rank: 20, slot: oiModelName},
		{field: fieldModel, rank: 30, slot: oiEmbeddingModel},
		{field: fieldRequestType, rank: 20, slot: oiKind, requestType: func(kind string) string {
			switch strings.ToUpper(kind) {
			case "LLM":
				return "chat"
			case "EMBEDDING":
				return "embedding"
			}
			return ""
		}},
		{field: fieldMaxTokens, rank: 30, slot: oiInvocationParams, count: maxTokensOfParams},
		{field: fieldPromptTokens, rank: 20, slot: oiPromptTokens},
		{field: fieldCompletionTokens, rank: 20, slot: oiCompletionTokens},
		{field: fieldTotalTokens, rank: 20, slot: oiTotalTokens},
	},
	families: []family{
		{prefix: "llm.input_messages.", read: func(m *Mapper, rest string, v pcommon.Value) { m.oi.in = setOIMessage(m.oi.in, rest, v) }},
		{prefix: "llm.output_messages.", read: func(m *Mapper, rest string, v pcommon.Value) { m.oi.out = setOIMessage(m.oi.out, rest, v) }},
		{prefix: "embedding.embeddings.", read: func(m *Mapper, rest string, v pcommon.Value) {
			m.oi.embedTexts = setOIEmbeddingText(m.oi.embedTexts, rest, v)
		}},
	},
	prompts:     []messageSource{{rank: 20, add: (*Mapper).addOIPrompts}, {rank: 40, add: (*Mapper).addOIEmbeddingInputs}},
	completions: []messageSource{{rank: 20, add: (*Mapper).addOICompletions}},
	metadata:    (*Mapper).addOIMetadata,
}

// oiSpan holds the indexed attributes of the span being mapped.
type oiSpan struct {
	in, out    []oiMessage
	embedTexts []string
}

func (s *oiSpan) reset() {
	s.in, s.out = resetOI(s.in), resetOI(s.out)
	clear(s.embedTexts)
	s.embedTexts = s.embedTexts[:0]
}

// maxTokensOfParams reads the limit from llm.invocation_parameters, a JSON object of
// the provider's request parameters; none when a limit is not an integer (as
// encoding/json refused it).
func maxTokensOfParams(v pcommon.Value) (int64, bool) {
	if v.Type() != pcommon.ValueTypeStr || !mayHaveMaxKey(v.Str()) {
		return 0, false
	}
	params, ok := paramsObject(v.Str())
	if !ok {
		return 0, false
	}
	var n [len(maxTokensParams)]int64
	var set [len(maxTokensParams)]bool
	if !intMembers(params, maxTokensParams[:], n[:], set[:]) {
		return 0, false
	}
	for i := range n {
		if set[i] {
			return n[i], true
		}
	}
	return 0, false
}

// intMembers reads an object's integer members by name into n, marking in set those
// there and not null; false when one is not an integer, or obj is neither an object
// nor null (nor missing), which encoding/json refused.
func intMembers(obj genaijson.Value, names []string, n []int64, set []bool) bool {
	if k := obj.Kind(); k != genaijson.Object && k != genaijson.Null && k != genaijson.Missing {
		return false
	}
	ok := true
	fields(nil, obj, names, func(name string, val genaijson.Value) bool {
		i := slices.Index(names, name)
		if i < 0 {
			return false
		}
		switch val.Kind() {
		case genaijson.Null:
			set[i] = false
		case genaijson.Number:
			var err error
			n[i], err = strconv.ParseInt(val.Raw(), 10, 64)
			set[i], ok = err == nil, ok && err == nil
		default:
			ok = false
		}
		return true
	})
	return ok
}

var maxTokensParams = [...]string{"max_tokens", "max_completion_tokens", "max_output_tokens"}

// mayHaveMaxKey reports whether s may have a key of maxTokensParams, which all
// begin max_: a key matches ignoring case, and no rune but M, A and X folds to
// m, a and x, so one without max_ in ASCII of any case (and without escapes)
// cannot. Without such a key there is no limit to read, whatever else s holds:
// most parameters are not parsed.
func mayHaveMaxKey(s string) bool {
	if strings.IndexByte(s, '\\') >= 0 {
		return true
	}
	for i := len("max"); i < len(s); i++ {
		j := strings.IndexByte(s[i:], '_')
		if j < 0 {
			return false
		}
		if i += j; strings.EqualFold(s[i-len("max"):i], "max") {
			return true
		}
	}
	return false
}

// paramsObject parses a JSON object of parameters; null is an empty one.
func paramsObject(s string) (genaijson.Value, bool) {
	v, err := genaijson.Parse(s)
	return v, err == nil && (v.Kind() == genaijson.Object || v.Kind() == genaijson.Null)
}

// addOIMetadata reads OpenInference's metadata, a JSON object, as user metadata: its
// string and number members, by name.
func (m *Mapper) addOIMetadata() {
	metadata := m.str(oiMetadata)
	if metadata == "" {
		return
	}
	v, ok := paramsObject(metadata)
	if !ok || !numbersFit(v) {
		return
	}
	lo := len(m.meta)
	it := v.Members()
	for {
		k, val, ok := it.Next()
		if !ok {
			break
		}
		name := keyName(nil, k)
		// A name given twice is the last one's, even when that one is skipped.
		m.meta = slices.DeleteFunc(m.meta, func(e metaEntry) bool { return e.json && e.name == name })
		switch val.Kind() {
		case genaijson.String:
			text, _ := rawJSON{val}.text()
			m.meta = append(m.meta, metaEntry{name: name, json: true, text: text})
		case genaijson.Number:
			f, _ := strconv.ParseFloat(val.Raw(), 64)
			m.meta = append(m.meta, metaEntry{name: name, json: true, text: pcommon.NewValueDouble(f).AsString()})
		}
	}
	slices.SortFunc(m.meta[lo:], func(a, b metaEntry) int { return strings.Compare(a.name, b.name) })
}

// numbersFit reports whether every number in v is a float64, as encoding/json
// required to decode the metadata at all.
func numbersFit(v genaijson.Value) bool {
	switch v.Kind() {
	case genaijson.Number:
		_, err := strconv.ParseFloat(v.Raw(), 64)
		return err == nil
	case genaijson.Object:
		it := v.Members()
		for {
			_, val, ok := it.Next()
			if !ok {
				return true
			}
			if !numbersFit(val) {
				return false
			}
		}
	case genaijson.Array:
		it := v.Elements()
		for {
			e, ok := it.Next()
			if !ok {
				return true
			}
			if !numbersFit(e) {
				return false
			}
		}
	}
	return true
}

// maxOIIndex bounds the indexes read, so that a stray huge index cannot allocate.
const maxOIIndex = 1024

type oiMessage struct {
	set       bool
	role      string
	content   string
	contents  []oiItem
	toolCalls []oiItem
}

// oiItem is a content part or a tool call of a message: its fields, in the order of
// contentFields or toolCallFields.
type oiItem [3]string

// The fields read of a content part and of a tool call (the others are ignored).
var (
	contentFields  = [3]string{"message_content.text", "message_content.image.image.url"}
	toolCallFields = [3]string{"tool_call.id", "tool_call.function.name", "tool_call.function.arguments"}
)

const (
	contentText, contentImageURL = 0, 1
	callID, callName, callArgs   = 0, 1, 2
)

// resetOI empties msgs, zeroing them so that growTo finds zero messages; their
// items keep their capacity for the next span.
func resetOI(msgs []oiMessage) []oiMessage {
	msgs = msgs[:cap(msgs)]
	for i := range msgs {
		msgs[i] = oiMessage{contents: resetItems(msgs[i].contents), toolCalls: resetItems(msgs[i].toolCalls)}
	}
	return msgs[:0]
}

// resetItems empties items, zeroing them so that growTo finds zero items.
func resetItems(items []oiItem) []oiItem {
	clear(items[:cap(items)])
	return items[:0]
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
		msg.contents = setOIItem(msg.contents, field[len("contents."):], &contentFields, s)
	case strings.HasPrefix(field, "tool_calls."):
		msg.toolCalls = setOIItem(msg.toolCalls, field[len("tool_calls."):], &toolCallFields, s)
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

// setOIItem records "<j>.<field>" of a message's content parts or tool calls; item j
// exists from then on, even when the field is not one of names.
func setOIItem(items []oiItem, rest string, names *[3]string, s string) []oiItem {
	j, field, ok := cutIndex(rest)
	if !ok {
		return items
	}
	items = growTo(items, j)
	if k := slices.Index(names[:], field); k >= 0 {
		items[j][k] = s
	}
	return items
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

func (m *Mapper) addOIPrompts() bool {
	for i := range m.oi.in {
		if msg := &m.oi.in[i]; msg.set {
			m.addPrompt(msg.role, appendOIMessage(m.text[:0], msg))
		}
	}
	return m.prompts > 0
}

// addOICompletions adds the output messages; OpenInference records one
// llm.finish_reason for the call.
func (m *Mapper) addOICompletions() bool {
	finish := m.str(oiFinishReason)
	for i := range m.oi.out {
		if msg := &m.oi.out[i]; msg.set {
			m.addCompletion(msg.role, appendOIMessage(m.text[:0], msg), finish)
		}
	}
	return m.completions > 0
}

// addOIEmbeddingInputs adds what was embedded as user messages.
func (m *Mapper) addOIEmbeddingInputs() bool {
	for _, text := range m.oi.embedTexts {
		if text != "" {
			m.addPrompt("user", append(m.text[:0], text...))
		}
	}
	return m.prompts > 0
}

func appendOIMessage(b []byte, msg *oiMessage) []byte {
	start := len(b)
	b = append(b, msg.content...)
	for _, c := range msg.contents {
		switch {
		case c[contentText] != "":
			b, _ = openLine(b, start)
			b = append(b, c[contentText]...)
		case c[contentImageURL] != "":
			b, _ = openLine(b, start)
			b = appendURI(b, "image", "", c[contentImageURL])
		}
	}
	for _, tc := range msg.toolCalls {
		b, _ = openLine(b, start)
		b = append(appendToolCallHead(b, tc[callName], tc[callID]), tc[callArgs]...)
	}
	return b
}
