package genaijson

import "strings"

// The tests' reader of messages and parts, held against encoding/json's reading of
// the same structs (the mapper in internal/genai has its own, with more part kinds).

// Message is one message in any of the JSON forms instrumentations record:
// the GenAI conventions' {role, parts, finish_reason, name}, OpenAI's and
// the Vercel AI SDK's {role, content: a string or parts, tool_calls}, and a
// gen_ai.choice event's {finish_reason, message}. A field that is not there
// is the zero Value; unknown fields are skipped.
type Message struct {
	Role         Value
	Name         Value
	FinishReason Value // finish_reason
	Parts        Value // an array of parts
	Content      Value // a string, an array of parts, or another value
	ToolCalls    Value // tool_calls: [{id, function: {name, arguments}}]
	Message      Value // a gen_ai.choice body's message
}

// ReadMessage reads the fields of a message object; the zero Message for
// any other value.
func ReadMessage(v Value) Message {
	var m Message
	for it := v.Members(); ; {
		k, val, ok := it.Next()
		if !ok {
			return m
		}
		switch keyText(k, messageKeys[:]) {
		case "role":
			m.Role = val
		case "name":
			m.Name = val
		case "finish_reason":
			m.FinishReason = val
		case "parts":
			m.Parts = val
		case "content":
			m.Content = val
		case "tool_calls":
			m.ToolCalls = val
		case "message":
			m.Message = val
		}
	}
}

var messageKeys = [...]string{"role", "name", "finish_reason", "parts", "content", "tool_calls", "message"}

// Part is one part of a message, with the fields of every convention's part
// types: text, reasoning, tool calls and their results, and media (by
// value, by URI or by file id). Nested objects (OpenAI's image_url,
// input_audio and file, Anthropic's source, the Vercel AI SDK's output)
// are read with Value.Get.
type Part struct {
	Type      Value
	Text      Value
	Content   Value // text, or parts, or a blob's base64
	Modality  Value
	MimeType  Value // mime_type
	MediaType Value // mediaType
	URI       Value
	URL       Value
	FileID    Value // file_id
	// Tool calls and results: the GenAI conventions, the Vercel AI SDK, Anthropic.
	ID         Value
	Name       Value
	Arguments  Value
	Response   Value
	ToolCallID Value // toolCallId
	ToolName   Value // toolName
	Input      Value
	Args       Value
	Output     Value
	Result     Value
	// Media: the Vercel AI SDK (image, data), OpenAI (image_url, input_audio,
	// file), Anthropic (source).
	Image      Value
	Data       Value
	ImageURL   Value // image_url
	InputAudio Value // input_audio
	File       Value
	Source     Value
}

// ReadPart reads the fields of a part object; the zero Part for any other
// value.
func ReadPart(v Value) Part {
	var p Part
	for it := v.Members(); ; {
		k, val, ok := it.Next()
		if !ok {
			return p
		}
		switch keyText(k, partKeys[:]) {
		case "type":
			p.Type = val
		case "text":
			p.Text = val
		case "content":
			p.Content = val
		case "modality":
			p.Modality = val
		case "mime_type":
			p.MimeType = val
		case "mediaType":
			p.MediaType = val
		case "uri":
			p.URI = val
		case "url":
			p.URL = val
		case "file_id":
			p.FileID = val
		case "id":
			p.ID = val
		case "name":
			p.Name = val
		case "arguments":
			p.Arguments = val
		case "response":
			p.Response = val
		case "toolCallId":
			p.ToolCallID = val
		case "toolName":
			p.ToolName = val
		case "input":
			p.Input = val
		case "args":
			p.Args = val
		case "output":
			p.Output = val
		case "result":
			p.Result = val
		case "image":
			p.Image = val
		case "data":
			p.Data = val
		case "image_url":
			p.ImageURL = val
		case "input_audio":
			p.InputAudio = val
		case "file":
			p.File = val
		case "source":
			p.Source = val
		}
	}
}

var partKeys = [...]string{"type", "text", "content", "modality", "mime_type", "mediaType", "uri", "url", "file_id",
	"id", "name", "arguments", "response", "toolCallId", "toolName", "input", "args", "output", "result",
	"image", "data", "image_url", "input_audio", "file", "source"}

// keyText is a member key's text when it has no escape (invalid UTF-8 in
// it cannot match a known key either); a key with escapes is compared with
// each of known, as encoding/json matches them after unescaping, and is ""
// when none matches.
func keyText(k Value, known []string) string {
	inner := k.raw[1 : len(k.raw)-1]
	if strings.IndexByte(inner, '\\') < 0 {
		return inner
	}
	for _, name := range known {
		if k.Equal(name) {
			return name
		}
	}
	return ""
}
