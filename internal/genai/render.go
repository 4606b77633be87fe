// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strconv"
	"strings"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// Helicone shows a message as a role and one text. Each convention's message is
// rendered to that text part by part, one part a line: text as it is, a tool call as
// "[tool_call <name> id=<id>] <arguments>", a tool result as its result, and media as
// a short placeholder such as "[image: image/png, 52731 bytes]", never its base64.

// jsonMessage is a message in any of the JSON forms: the GenAI conventions' {role,
// parts, finish_reason}, OpenAI's and the Vercel AI SDK's {role, content: string or
// parts, tool_calls}, and a gen_ai.choice event's {finish_reason, message}.
type jsonMessage struct {
	Role         string         `json:"role"`
	Parts        []jsonPart     `json:"parts"`
	Content      jsonContent    `json:"content"`
	ToolCalls    []jsonToolCall `json:"tool_calls"`
	FinishReason string         `json:"finish_reason"`
	Message      *jsonMessage   `json:"message"`
	// EventName names the event of a message in a JSON array of events (pydantic-ai
	// v1's and Logfire's events attribute): gen_ai.user.message, gen_ai.choice, ...
	EventName string `json:"event.name"`
}

// jsonToolCall is an OpenAI-style tool call.
type jsonToolCall struct {
	ID       string `json:"id"`
	Function struct {
		Name      string  `json:"name"`
		Arguments rawJSON `json:"arguments"`
	} `json:"function"`
}

// jsonPart is one part of a message, with the fields of every convention's part types.
type jsonPart struct {
	Type      string      `json:"type"`
	Text      string      `json:"text"`
	Content   jsonContent `json:"content"`
	Modality  string      `json:"modality"`
	MimeType  string      `json:"mime_type"`
	MediaType string      `json:"mediaType"`
	URI       string      `json:"uri"`
	URL       string      `json:"url"`
	FileID    string      `json:"file_id"`
	// tool calls and results: GenAI conventions, Vercel AI SDK, Anthropic
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Arguments  rawJSON `json:"arguments"`
	Response   rawJSON `json:"response"`
	ToolCallID string  `json:"toolCallId"`
	ToolName   string  `json:"toolName"`
	Input      rawJSON `json:"input"`
	Args       rawJSON `json:"args"`
	Output     rawJSON `json:"output"`
	Result     rawJSON `json:"result"`
	// media: Vercel AI SDK (image, data), OpenAI (image_url, input_audio, file),
	// Anthropic (source)
	Image      rawJSON          `json:"image"`
	Data       rawJSON          `json:"data"`
	ImageURL   rawJSON          `json:"image_url"`
	InputAudio *openaiAudio     `json:"input_audio"`
	File       *openaiFile      `json:"file"`
	Source     *anthropicSource `json:"source"`
	// OpenAI Responses API items: function_call {call_id, name, arguments},
	// function_call_output {call_id, output}.
	CallID string `json:"call_id"`
	// Bedrock Converse and Gemini blocks have no type: one key names the kind.
	// Bedrock: {text}, {toolUse: {toolUseId, name, input}}, {toolResult: {toolUseId,
	// content: [{text} | {json}]}}, {image: {format, source: {bytes}}}; Gemini: {text},
	// {functionCall: {name, args}}, {functionResponse: {name, response}},
	// {inlineData: {mimeType, data}}, {fileData: {mimeType, fileUri}}.
	ToolUse          *jsonPart    `json:"toolUse"`
	ToolResult       *jsonPart    `json:"toolResult"`
	ToolUseID        string       `json:"toolUseId"`
	JSON             rawJSON      `json:"json"`
	FunctionCall     *jsonPart    `json:"functionCall"`
	FunctionResponse *jsonPart    `json:"functionResponse"`
	InlineData       *geminiMedia `json:"inlineData"`
	FileData         *geminiMedia `json:"fileData"`
}

// openaiAudio is OpenAI's input_audio {data, format}.
type openaiAudio struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

// openaiFile is OpenAI's file {file_id, file_data, filename}.
type openaiFile struct {
	FileID   string `json:"file_id"`
	FileData string `json:"file_data"`
	Filename string `json:"filename"`
}

// anthropicSource is Anthropic's source {media_type, data, url}.
type anthropicSource struct {
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
	URL       string `json:"url"`
}

// geminiMedia is Gemini's inlineData {mimeType, data} or fileData {mimeType, fileUri}.
type geminiMedia struct {
	MimeType string `json:"mimeType"`
	Data     string `json:"data"`
	FileURI  string `json:"fileUri"`
}

// jsonContent is a content field that is a string, an array of parts, or another value.
type jsonContent struct {
	Text  string
	Parts []jsonPart
	Raw   rawJSON
}

// rawJSON is a JSON value kept as its text, to render later: a substring of the
// decoded text.
type rawJSON struct{ genaijson.Value }

// text is a JSON string's text; false for any other value.
func (r rawJSON) text() (string, bool) {
	if r.Kind() != genaijson.String {
		return "", false
	}
	if s, ok := r.Str(); ok {
		return s, true
	}
	return string(r.AppendText(nil)), true
}

// appendMessage appends the text of a message, one part a line.
func appendMessage(b []byte, msg *jsonMessage) []byte {
	if msg.Message != nil { // a gen_ai.choice body
		return appendMessage(b, msg.Message)
	}
	start, mark := len(b), 0
	for i := range msg.Parts {
		b, mark = openLine(b, start)
		b = closeLine(appendPart(b, &msg.Parts[i]), start, mark)
	}
	b, mark = openLine(b, start)
	b = closeLine(appendContent(b, &msg.Content), start, mark)
	for i := range msg.ToolCalls {
		tc := &msg.ToolCalls[i]
		b, _ = openLine(b, start)
		b = appendJSONValue(appendToolCallHead(b, tc.Function.Name, tc.ID), tc.Function.Arguments)
	}
	return b
}

// openLine starts a new line for the next part unless it is the first since start;
// closeLine takes the line back if the part wrote nothing.
func openLine(b []byte, start int) ([]byte, int) {
	mark := len(b)
	if mark > start {
		b = append(b, '\n')
	}
	return b, mark
}

func closeLine(b []byte, start, mark int) []byte {
	if mark > start && len(b) == mark+1 {
		return b[:mark]
	}
	return b
}

func appendContent(b []byte, c *jsonContent) []byte {
	start, mark := len(b), 0
	switch {
	case c.Text != "":
		return append(b, c.Text...)
	case len(c.Parts) > 0:
		for i := range c.Parts {
			b, mark = openLine(b, start)
			b = closeLine(appendPart(b, &c.Parts[i]), start, mark)
		}
		return b
	}
	return appendJSONValue(b, c.Raw)
}

// appendPart appends the text of one part (see the top of this file).
func appendPart(b []byte, p *jsonPart) []byte {
	switch p.Type {
	case "", "text", "input_text", "output_text":
		if p.Type == "" {
			if t, ok := p.appendUntyped(b); ok {
				return t
			}
		}
		if p.Text != "" {
			return append(b, p.Text...)
		}
		return appendContent(b, &p.Content)
	case "reasoning", "thinking":
		b = append(b, "[reasoning] "...)
		if p.Text != "" {
			return append(b, p.Text...)
		}
		return appendContent(b, &p.Content)
	case "tool_call", "tool-call", "tool_use", "function_call":
		b = appendToolCallHead(b, cmpOr(p.Name, p.ToolName), cmpOr(cmpOr(p.ID, p.ToolCallID), p.CallID))
		return appendJSONValue(b, firstRaw(p.Arguments, p.Input, p.Args))
	case "tool_call_response", "tool-result", "tool_result", "function_call_output":
		return appendToolResult(b, p)
	case "blob":
		return appendBlob(b, p.modality(""), p.mime(), base64Size(p.Content.Text))
	case "uri", "image_url", "input_image":
		return appendURI(b, p.modality("image"), p.mime(), cmpOr(cmpOr(p.URI, p.URL), urlOf(p.ImageURL)))
	case "input_audio":
		if p.InputAudio != nil {
			return appendBlob(b, "audio", p.InputAudio.Format, base64Size(p.InputAudio.Data))
		}
	case "image", "file", "input_file":
		return p.appendMedia(b)
	}
	switch {
	case p.Text != "":
		return append(b, p.Text...)
	case p.Content.Text != "" || len(p.Content.Parts) > 0:
		return appendContent(b, &p.Content)
	}
	return append(append(append(b, '['), p.Type...), ']')
}

// appendUntyped appends a Bedrock or Gemini block, which has no type; false when p
// is none of them.
func (p *jsonPart) appendUntyped(b []byte) ([]byte, bool) {
	switch {
	case p.ToolUse != nil:
		u := p.ToolUse
		return appendJSONValue(appendToolCallHead(b, u.Name, u.ToolUseID), u.Input), true
	case p.FunctionCall != nil:
		f := p.FunctionCall
		return appendJSONValue(appendToolCallHead(b, f.Name, f.ID), f.Args), true
	case p.ToolResult != nil:
		return appendContent(b, &p.ToolResult.Content), true
	case p.FunctionResponse != nil:
		return appendJSONValue(b, p.FunctionResponse.Response), true
	case p.JSON.Kind() != genaijson.Missing:
		return appendJSONValue(b, p.JSON), true
	case p.InlineData != nil:
		return appendBlob(b, modalityOf(p.InlineData.MimeType), p.InlineData.MimeType, base64Size(p.InlineData.Data)), true
	case p.FileData != nil:
		return appendURI(b, modalityOf(p.FileData.MimeType), p.FileData.MimeType, p.FileData.FileURI), true
	case p.Image.Kind() == genaijson.Object: // Bedrock {format, source: {bytes}}
		format, _ := rawJSON{get(p.Image.Value, "format")}.text()
		data, _ := rawJSON{get(get(p.Image.Value, "source"), "bytes")}.text()
		mime := ""
		if format != "" {
			mime = "image/" + format
		}
		return appendBlob(b, "image", mime, base64Size(data)), true
	}
	return b, false
}

// modalityOf is the kind of a MIME type (image, audio, video), else "blob".
func modalityOf(mime string) string { return cmpOr(mediaKind(mime), "blob") }

// mediaKind is the kind of a MIME type when it is image, audio or video, else "".
func mediaKind(mime string) string {
	if kind, _, ok := strings.Cut(mime, "/"); ok && (kind == "image" || kind == "audio" || kind == "video") {
		return kind
	}
	return ""
}

// isToolResult reports whether a part is what a tool returned, in any convention.
func (p *jsonPart) isToolResult() bool {
	switch p.Type {
	case "tool_call_response", "tool-result", "tool_result", "function_call_output":
		return true
	}
	return p.ToolResult != nil || p.FunctionResponse != nil
}

// isBlock reports whether a part is a content block of a known kind, so that an
// array of them is content to render and not a JSON value to keep.
func (p *jsonPart) isBlock() bool {
	switch p.Type {
	case "text", "input_text", "output_text", "refusal", "reasoning", "thinking", "redacted_thinking",
		"tool_call", "tool-call", "tool_use", "function_call", "server_tool_use",
		"tool_call_response", "tool-result", "tool_result", "function_call_output",
		"image", "image_url", "input_image", "input_audio", "file", "input_file", "document", "blob", "uri":
		return true
	case "":
		return p.Text != "" || p.ToolUse != nil || p.ToolResult != nil || p.FunctionCall != nil ||
			p.FunctionResponse != nil || p.InlineData != nil || p.FileData != nil || p.Image.Kind() == genaijson.Object
	}
	return false
}

// allToolResults reports whether every part is a tool result (and there is one).
func allToolResults(parts []jsonPart) bool {
	for i := range parts {
		if !parts[i].isToolResult() {
			return false
		}
	}
	return len(parts) > 0
}

// appendToolResult appends what a tool returned: the GenAI conventions' response,
// the Vercel AI SDK's output ({type, value}) or result, Anthropic's content.
func appendToolResult(b []byte, p *jsonPart) []byte {
	if value := get(p.Output.Value, "value"); value.Kind() != genaijson.Missing {
		return appendJSONValue(b, rawJSON{value})
	}
	if raw := firstRaw(p.Response, p.Output, p.Result); raw.Kind() != genaijson.Missing {
		if blocks, ok := responseBlocks(raw); ok {
			return appendContent(b, &jsonContent{Parts: blocks})
		}
		return appendJSONValue(b, raw)
	}
	return appendContent(b, &p.Content)
}

// responseBlocks decodes a tool's response that is content blocks (Strands: Bedrock's),
// with a decoder of its own: the message's is in use, and this is rare.
func responseBlocks(raw rawJSON) ([]jsonPart, bool) {
	if raw.Kind() != genaijson.Array {
		return nil, false
	}
	var d decoder
	return d.blocks(raw.Raw())
}

// appendMedia appends the placeholder of an image or file part of any convention.
func (p *jsonPart) appendMedia(b []byte) []byte {
	modality := p.modality(p.Type)
	switch {
	case p.Source != nil && p.Source.Data != "":
		return appendBlob(b, modality, p.Source.MediaType, base64Size(p.Source.Data))
	case p.Source != nil:
		return appendURI(b, modality, p.Source.MediaType, p.Source.URL)
	case p.File != nil && p.File.FileData != "":
		return appendURI(b, modality, p.mime(), p.File.FileData)
	case p.File != nil:
		return appendFileRef(b, modality, p.mime(), cmpOr(p.File.FileID, p.File.Filename))
	case p.FileID != "":
		return appendFileRef(b, modality, p.mime(), p.FileID)
	}
	if data, ok := firstRaw(p.Image, p.Data).text(); ok {
		if strings.HasPrefix(data, "data:") || strings.Contains(data, "://") {
			return appendURI(b, modality, p.mime(), data)
		}
		return appendBlob(b, modality, p.mime(), base64Size(data))
	}
	if uri := cmpOr(p.URI, p.URL); uri != "" {
		return appendURI(b, modality, p.mime(), uri)
	}
	return appendBlob(b, modality, p.mime(), -1)
}

// modality is the part's modality, else the kind of its MIME type, else fallback.
func (p *jsonPart) modality(fallback string) string {
	if p.Modality != "" {
		return p.Modality
	}
	if kind := mediaKind(p.mime()); kind != "" {
		return kind
	}
	return cmpOr(fallback, "blob")
}

func (p *jsonPart) mime() string { return cmpOr(p.MimeType, p.MediaType) }

func firstRaw(raws ...rawJSON) rawJSON {
	for _, r := range raws {
		if k := r.Kind(); k != genaijson.Missing && k != genaijson.Null {
			return r
		}
	}
	return rawJSON{}
}

// urlOf reads OpenAI's image_url, a string or {url}.
func urlOf(raw rawJSON) string {
	if s, ok := raw.text(); ok {
		return s
	}
	s, _ := rawJSON{get(raw.Value, "url")}.text()
	return s
}

// appendJSONValue appends a JSON string's text, or any other JSON value compacted.
func appendJSONValue(b []byte, raw rawJSON) []byte { return raw.AppendText(b) }

func appendToolCallHead(b []byte, name, id string) []byte {
	b = append(append(b, "[tool_call "...), cmpOr(name, "?")...)
	if id != "" {
		b = append(append(b, " id="...), id...)
	}
	return append(b, "] "...)
}

// appendBlob appends "[image: image/png, 52731 bytes]"; size < 0 when unknown.
func appendBlob(b []byte, modality, mime string, size int) []byte {
	b = append(append(append(b, '['), modality...), ':')
	if mime != "" {
		b = append(append(b, ' '), mime...)
		if size >= 0 {
			b = append(b, ',')
		}
	}
	if size >= 0 {
		b = append(strconv.AppendInt(append(b, ' '), int64(size), 10), " bytes"...)
	}
	return append(b, ']')
}

// appendURI appends "[image: image/png, https://...]", or a blob placeholder for a
// data: URI, which carries the media inline.
func appendURI(b []byte, modality, mime, uri string) []byte {
	if rest, ok := strings.CutPrefix(uri, "data:"); ok {
		meta, data, _ := strings.Cut(rest, ",")
		media, params, _ := strings.Cut(meta, ";")
		size := len(data)
		if strings.Contains(params, "base64") {
			size = base64Size(data)
		}
		if kind := mediaKind(media); kind != "" {
			modality = kind
		}
		return appendBlob(b, modality, cmpOr(media, mime), size)
	}
	b = append(append(append(b, '['), modality...), ": "...)
	if mime != "" {
		b = append(append(b, mime...), ", "...)
	}
	return append(append(b, uri...), ']')
}

func appendFileRef(b []byte, modality, mime, id string) []byte {
	b = append(append(append(b, '['), modality...), ": "...)
	if mime != "" {
		b = append(append(b, mime...), ", "...)
	}
	return append(append(append(b, "file "...), id...), ']')
}

// base64Size is the number of bytes base64 text decodes to.
func base64Size(s string) int {
	s = strings.TrimRight(s, "=")
	return len(s) * 3 / 4
}

// appendJSONText appends the text of a JSON value held in a string; text that is
// not JSON is appended as it is.
func appendJSONText(b []byte, s string) []byte {
	v, err := genaijson.Parse(s)
	switch {
	case err != nil:
		return append(b, s...)
	case len(v.Raw()) != len(s) && (v.Kind() == genaijson.String || v.Kind() == genaijson.Null):
		return append(b, v.Raw()...) // compacted, as encoding/json's Compact keeps it
	}
	return v.AppendText(b)
}
