// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"slices"
	"strings"
	"unsafe"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// decoder fills jsonMessage, jsonPart and jsonContent from JSON that genaijson has
// validated, as encoding/json would decode them (exact keys first, then keys that
// differ in case; a value of another type leaves its field alone), but without
// reflection: the parts and tool calls go into slices it reuses, so that decoding
// allocates nothing once they have grown. What it decodes is valid until its next
// reset; strings are substrings of the text, or (with escapes) views of its buffer.
type decoder struct {
	idx     genaijson.Index // of the text being decoded
	parts   []jsonPart
	calls   []jsonToolCall
	buf     []byte       // unescaped strings
	scratch [][]jsonPart // by nesting depth: the parts being decoded
	depth   int
	// typeErr: a value of another type than its field's was skipped, which
	// encoding/json reports as an error (blocks refuses such an array).
	typeErr bool
}

// reset starts a new decoding; what the previous one returned is no longer valid.
func (d *decoder) reset() {
	clear(d.parts) // drop the previous text's substrings
	clear(d.calls)
	d.parts, d.calls, d.buf, d.typeErr = d.parts[:0], d.calls[:0], d.buf[:0], false
}

// blocks decodes s when it is a JSON array of content blocks of any provider;
// anything else (plain text, other JSON, blocks with a value of the wrong type) is not.
func (d *decoder) blocks(s string) ([]jsonPart, bool) {
	if !mayBeBlocks(s) {
		return nil, false
	}
	v, err := d.idx.Parse(s)
	if err != nil {
		return nil, false
	}
	d.reset()
	var parts []jsonPart
	d.partList(&parts, v)
	if d.typeErr || len(parts) == 0 {
		return nil, false
	}
	for i := range parts {
		if !parts[i].isBlock() {
			return nil, false
		}
	}
	return parts, true
}

// mayBeBlocks reports whether s may be a JSON array: '[' after any whitespace, and
// something after it.
func mayBeBlocks(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return len(s)-i >= 2 && s[i] == '['
}

// want notes a type error unless v is of kind k or null.
func (d *decoder) want(v genaijson.Value, k genaijson.Kind) bool {
	if kind := v.Kind(); kind != k {
		d.typeErr = d.typeErr || kind != genaijson.Null
		return false
	}
	return true
}

// messages decodes a JSON array of messages into msgs[:0].
func (d *decoder) messages(v genaijson.Value, msgs []jsonMessage) []jsonMessage {
	msgs = msgs[:0]
	it := d.idx.Elements(v)
	for {
		e, ok := it.Next()
		if !ok {
			return msgs
		}
		msgs = append(msgs, jsonMessage{})
		d.message(e, &msgs[len(msgs)-1])
	}
}

func (d *decoder) message(v genaijson.Value, msg *jsonMessage) {
	d.want(v, genaijson.Object)
	fields(&d.idx, v, messageFieldNames[:], func(name string, val genaijson.Value) bool { return d.messageField(msg, name, val) })
}

// fields calls set with each member of an object, by the name of names it matches:
// exactly, else ignoring case, as encoding/json matches keys to fields.
// x is the Index of v's text, or nil.
func fields(x *genaijson.Index, v genaijson.Value, names []string, set func(string, genaijson.Value) bool) {
	it := x.Members(v) // not in the for clause: as a loop variable, it would be copied each iteration
	for {
		k, val, ok := it.Next()
		if !ok {
			return
		}
		if name := keyName(x, k); !set(name, val) {
			if folded := foldedKey(name, names); folded != "" {
				set(folded, val)
			}
		}
	}
}

// get is the value of an object's member key, matched as fields matches it.
func get(v genaijson.Value, key string) genaijson.Value {
	var found genaijson.Value
	it := v.Members()
	for {
		k, val, ok := it.Next()
		if !ok {
			return found
		}
		if name := keyName(nil, k); name == key || strings.EqualFold(name, key) {
			found = val
		}
	}
}

var messageFieldNames = [...]string{"role", "parts", "content", "tool_calls", "finish_reason", "message", "event.name"}

// messageField sets the field named name; false when there is none.
func (d *decoder) messageField(msg *jsonMessage, name string, val genaijson.Value) bool {
	switch name {
	case "role":
		d.keepString(&msg.Role, val)
	case "parts":
		d.partList(&msg.Parts, val)
	case "content":
		d.content(&msg.Content, val)
	case "tool_calls":
		d.toolCalls(&msg.ToolCalls, val)
	case "finish_reason":
		d.keepString(&msg.FinishReason, val)
	case "event.name":
		d.string(&msg.EventName, val)
	case "message":
		switch val.Kind() {
		case genaijson.Null:
			msg.Message = nil
		default:
			if msg.Message == nil {
				msg.Message = new(jsonMessage)
			}
			d.message(val, msg.Message)
		}
	default:
		return false
	}
	return true
}

// content decodes a content field as jsonContent.UnmarshalJSON does.
func (d *decoder) content(c *jsonContent, v genaijson.Value) {
	switch v.Kind() {
	case genaijson.String:
		d.string(&c.Text, v)
	case genaijson.Array:
		typeErr := d.typeErr // jsonContent.UnmarshalJSON skips its parts' type errors
		d.partList(&c.Parts, v)
		d.typeErr = typeErr
	case genaijson.Null:
	default:
		c.Raw = rawJSON{v}
	}
}

// partList decodes an array of parts into a range of d.parts; null empties it.
func (d *decoder) partList(parts *[]jsonPart, v genaijson.Value) {
	if !isArray(d, parts, v) {
		return
	}
	// The parts are decoded into the scratch of their depth, then appended to
	// d.parts in one range, after their own parts.
	if d.depth == len(d.scratch) {
		d.scratch = append(d.scratch, nil)
	}
	list := d.scratch[d.depth][:0]
	d.depth++
	it := d.idx.Elements(v)
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		list = append(list, jsonPart{})
		d.part(e, &list[len(list)-1])
	}
	d.depth--
	lo := len(d.parts)
	d.parts = append(d.parts, list...)
	clear(list) // drop the text's substrings
	d.scratch[d.depth] = list
	*parts = d.parts[lo:len(d.parts):len(d.parts)]
}

func (d *decoder) part(v genaijson.Value, p *jsonPart) {
	d.want(v, genaijson.Object)
	fields(&d.idx, v, partFieldNames, func(name string, val genaijson.Value) bool { return d.partField(p, name, val) })
}

// The names of jsonPart's fields: its strings and raw values in the order of
// jsonPart.stringPtrs and jsonPart.rawPtrs, then the others.
var (
	partStringNames = [...]string{"type", "text", "modality", "mime_type", "mediaType", "uri", "url", "file_id",
		"id", "name", "toolCallId", "toolName", "call_id", "toolUseId"}
	partRawNames = [...]string{"arguments", "response", "input", "args", "output", "result", "image", "data",
		"image_url", "json"}
	partFieldNames = slices.Concat(partStringNames[:], partRawNames[:], []string{"content", "input_audio", "file",
		"source", "toolUse", "toolResult", "functionCall", "functionResponse", "inlineData", "fileData"})
)

func (p *jsonPart) stringPtrs() [len(partStringNames)]*string {
	return [...]*string{&p.Type, &p.Text, &p.Modality, &p.MimeType, &p.MediaType, &p.URI, &p.URL, &p.FileID,
		&p.ID, &p.Name, &p.ToolCallID, &p.ToolName, &p.CallID, &p.ToolUseID}
}

func (p *jsonPart) rawPtrs() [len(partRawNames)]*rawJSON {
	return [...]*rawJSON{&p.Arguments, &p.Response, &p.Input, &p.Args, &p.Output, &p.Result, &p.Image, &p.Data,
		&p.ImageURL, &p.JSON}
}

// partField sets the field named name; false when there is none.
func (d *decoder) partField(p *jsonPart, name string, val genaijson.Value) bool {
	if i := slices.Index(partStringNames[:], name); i >= 0 {
		d.string(p.stringPtrs()[i], val)
		return true
	}
	if i := slices.Index(partRawNames[:], name); i >= 0 {
		*p.rawPtrs()[i] = rawJSON{val}
		return true
	}
	switch name {
	case "content":
		d.content(&p.Content, val)
	case "toolUse":
		p.ToolUse = d.subPart(p.ToolUse, val)
	case "toolResult":
		p.ToolResult = d.subPart(p.ToolResult, val)
	case "functionCall":
		p.FunctionCall = d.subPart(p.FunctionCall, val)
	case "functionResponse":
		p.FunctionResponse = d.subPart(p.FunctionResponse, val)
	case "input_audio":
		if p.InputAudio = pointerTo(d, p.InputAudio, val); p.InputAudio != nil {
			d.stringFields(val, audioFieldNames[:], &p.InputAudio.Data, &p.InputAudio.Format)
		}
	case "file":
		if p.File = pointerTo(d, p.File, val); p.File != nil {
			d.stringFields(val, fileFieldNames[:], &p.File.FileID, &p.File.FileData, &p.File.Filename)
		}
	case "source":
		if p.Source = pointerTo(d, p.Source, val); p.Source != nil {
			d.stringFields(val, sourceFieldNames[:], &p.Source.MediaType, &p.Source.Data, &p.Source.URL)
		}
	case "inlineData":
		p.InlineData = d.geminiMedia(p.InlineData, val)
	case "fileData":
		p.FileData = d.geminiMedia(p.FileData, val)
	default:
		return false
	}
	return true
}

var (
	audioFieldNames  = [...]string{"data", "format"}
	fileFieldNames   = [...]string{"file_id", "file_data", "filename"}
	sourceFieldNames = [...]string{"media_type", "data", "url"}
	geminiFieldNames = [...]string{"mimeType", "data", "fileUri"}
)

func (d *decoder) geminiMedia(g *geminiMedia, v genaijson.Value) *geminiMedia {
	if g = pointerTo(d, g, v); g != nil {
		d.stringFields(v, geminiFieldNames[:], &g.MimeType, &g.Data, &g.FileURI)
	}
	return g
}

// subPart decodes a nested part (Bedrock's and Gemini's blocks).
func (d *decoder) subPart(p *jsonPart, v genaijson.Value) *jsonPart {
	if p = pointerTo(d, p, v); p != nil {
		d.part(v, p)
	}
	return p
}

// pointerTo is the pointer to decode v into, as encoding/json decodes into a pointer:
// nil for null, else p, allocated when nil.
func pointerTo[T any](d *decoder, p *T, v genaijson.Value) *T {
	if v.Kind() == genaijson.Null {
		return nil
	}
	d.want(v, genaijson.Object)
	if p == nil {
		p = new(T)
	}
	return p
}

// stringFields decodes an object's string members into dst, by their names.
func (d *decoder) stringFields(v genaijson.Value, names []string, dst ...*string) {
	fields(&d.idx, v, names, func(name string, val genaijson.Value) bool {
		i := slices.Index(names, name)
		if i >= 0 {
			d.string(dst[i], val)
		}
		return i >= 0
	})
}

var (
	toolCallFieldNames = [...]string{"id", "function"}
	functionFieldNames = [...]string{"name", "arguments"}
)

// isArray reports whether v is an array to decode into *s, as encoding/json decodes
// into a slice: null empties it, another value leaves it.
func isArray[T any](d *decoder, s *[]T, v genaijson.Value) bool {
	if v.Kind() == genaijson.Null {
		*s = nil
	}
	return d.want(v, genaijson.Array)
}

// toolCalls decodes OpenAI's tool_calls into a range of d.calls.
func (d *decoder) toolCalls(calls *[]jsonToolCall, v genaijson.Value) {
	if !isArray(d, calls, v) {
		return
	}
	lo := len(d.calls)
	it := d.idx.Elements(v)
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		var tc jsonToolCall
		d.want(e, genaijson.Object)
		fields(&d.idx, e, toolCallFieldNames[:], func(name string, val genaijson.Value) bool {
			switch name {
			case "id":
				d.string(&tc.ID, val)
			case "function":
				d.want(val, genaijson.Object)
				fields(&d.idx, val, functionFieldNames[:], func(name string, val genaijson.Value) bool {
					switch name {
					case "name":
						d.string(&tc.Function.Name, val)
					case "arguments":
						tc.Function.Arguments = rawJSON{val}
					default:
						return false
					}
					return true
				})
			default:
				return false
			}
			return true
		})
		d.calls = append(d.calls, tc)
	}
	*calls = d.calls[lo:len(d.calls):len(d.calls)]
}

// string sets *s to a JSON string's text, a view of d.buf when it has escapes; any
// other value leaves it.
func (d *decoder) string(s *string, v genaijson.Value) {
	if !d.want(v, genaijson.String) {
		return
	}
	if plain, ok := d.idx.Str(v); ok {
		*s = plain
		return
	}
	lo := len(d.buf)
	d.buf = v.AppendText(d.buf)
	*s = unsafeString(d.buf[lo:])
}

// keepString is string for a text the mapper keeps past the next reset (a role, a
// finish reason): one with escapes is copied.
func (d *decoder) keepString(s *string, v genaijson.Value) {
	if !d.want(v, genaijson.String) {
		return
	}
	if plain, ok := d.idx.Str(v); ok {
		*s = plain
		return
	}
	*s = string(v.AppendText(nil))
}

// keyName is a member key's text; x is the Index of its text, or nil.
func keyName(x *genaijson.Index, k genaijson.Value) string {
	if s, ok := x.Str(k); ok {
		return s
	}
	return string(k.AppendText(nil))
}

// foldedKey is the name of names that key matches ignoring case, as encoding/json
// matches a key to a field when none matches exactly; "" when none does.
func foldedKey(key string, names []string) string {
	for _, n := range names {
		if n != key && strings.EqualFold(n, key) {
			return n
		}
	}
	return ""
}

// unsafeString views b as a string without copying; b must not change while the
// string is in use.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
