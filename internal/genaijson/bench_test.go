package genaijson

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// BenchmarkParse reads the message JSON of real spans and renders each
// message as the exporter's mapper does (role, finish reason, each part's
// type, text, tool call and result), once with this package and once with
// encoding/json into the mapper's structs (stdMessage below), on the same
// inputs in the same run: the ratio of their ns/op is the gain.
func BenchmarkParse(b *testing.B) {
	for _, c := range parseCorpora(b) {
		var size int64
		for _, s := range c.inputs {
			size += int64(len(s))
		}
		out := make([]byte, 0, 4096)
		var msgs []stdMessage
		// Both render the same text, or the comparison is void.
		var want []byte
		for _, s := range c.inputs {
			want = renderStd(want, &msgs, s)
		}
		if got := renderAll(nil, c.inputs); !bytes.Equal(got, want) {
			b.Fatalf("%s: genaijson renders\n%s\nencoding/json renders\n%s", c.name, got, want)
		}
		b.Run(c.name+"/genaijson", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				out = renderAll(out[:0], c.inputs)
			}
		})
		b.Run(c.name+"/encoding_json", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				out = out[:0]
				for _, s := range c.inputs {
					out = renderStd(out, &msgs, s)
				}
			}
		})
	}
}

type parseCorpus struct {
	name   string
	inputs []string
}

// parseCorpora are the GenAI conventions' message attributes of the
// OpenLLMetry 0.27 fixture, of the load generator's chats (bench/), and of
// TestReadMessages (every part type, escapes, unknown nested members).
func parseCorpora(b *testing.B) []parseCorpus {
	fixture, err := os.ReadFile(filepath.Join("..", "..", "testdata", "genai", "openllmetry-0.27.0.traces.json"))
	if err != nil {
		b.Fatal(err)
	}
	var chats []string
	for _, r := range llmspans.Demo() {
		for _, c := range r.Chats() {
			c.Convention = llmspans.GenAISemconv
			for _, kv := range c.Attributes() {
				if strings.HasSuffix(string(kv.Key), ".messages") {
					chats = append(chats, kv.Value.AsString())
				}
			}
		}
	}
	return []parseCorpus{
		{name: "openllmetry_0.27", inputs: messageAttributes(b, fixture)},
		{name: "bench_chats", inputs: chats},
		{name: "all_parts", inputs: []string{readMessagesInput}},
	}
}

// messageAttributes are the message JSON attributes of an OTLP/JSON file.
func messageAttributes(b *testing.B, otlp []byte) []string {
	var td struct {
		ResourceSpans []struct {
			ScopeSpans []struct {
				Spans []struct {
					Attributes []struct {
						Key   string
						Value struct{ StringValue string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(otlp, &td); err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, rs := range td.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				for _, a := range sp.Attributes {
					switch a.Key {
					case "gen_ai.input.messages", "gen_ai.output.messages":
						out = append(out, a.Value.StringValue)
					}
				}
			}
		}
	}
	if len(out) == 0 {
		b.Fatal("no message attributes in the fixture")
	}
	return out
}

// renderAll renders every input with this package; a malformed one renders
// as "!".
func renderAll(dst []byte, inputs []string) []byte {
	for _, s := range inputs {
		v, err := Parse(s)
		if err != nil {
			dst = append(dst, '!')
			continue
		}
		for msgs := v.Elements(); ; {
			mv, ok := msgs.Next()
			if !ok {
				break
			}
			m := ReadMessage(mv)
			dst = append(m.FinishReason.AppendText(append(m.Role.AppendText(dst), ' ')), ':')
			for parts := m.Parts.Elements(); ; {
				pv, ok := parts.Next()
				if !ok {
					break
				}
				p := ReadPart(pv)
				dst = append(p.Type.AppendText(append(dst, '\n')), ' ')
				dst = p.Content.AppendText(dst)
				dst = p.Name.AppendText(p.ID.AppendText(dst))
				dst = p.Response.AppendText(p.Arguments.AppendText(dst))
			}
			dst = append(dst, '\n')
		}
	}
	return dst
}

// stdMessage and stdPart are the exporter's jsonMessage and jsonPart as of
// this package's writing (heliconeexporter/genai_messages.go): the
// encoding/json approach this package is to replace, decoded the same way.
type stdMessage struct {
	Role         string        `json:"role"`
	Parts        []stdPart     `json:"parts"`
	Content      stdContent    `json:"content"`
	ToolCalls    []stdToolCall `json:"tool_calls"`
	FinishReason string        `json:"finish_reason"`
	Message      *stdMessage   `json:"message"`
}

type stdToolCall struct {
	ID       string `json:"id"`
	Function struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"function"`
}

type stdPart struct {
	Type       string          `json:"type"`
	Text       string          `json:"text"`
	Content    stdContent      `json:"content"`
	Modality   string          `json:"modality"`
	MimeType   string          `json:"mime_type"`
	MediaType  string          `json:"mediaType"`
	URI        string          `json:"uri"`
	URL        string          `json:"url"`
	FileID     string          `json:"file_id"`
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Arguments  json.RawMessage `json:"arguments"`
	Response   json.RawMessage `json:"response"`
	ToolCallID string          `json:"toolCallId"`
	ToolName   string          `json:"toolName"`
	Input      json.RawMessage `json:"input"`
	Args       json.RawMessage `json:"args"`
	Output     json.RawMessage `json:"output"`
	Result     json.RawMessage `json:"result"`
	Image      json.RawMessage `json:"image"`
	Data       json.RawMessage `json:"data"`
	ImageURL   json.RawMessage `json:"image_url"`
	InputAudio *struct {
		Data   string `json:"data"`
		Format string `json:"format"`
	} `json:"input_audio"`
	File *struct {
		FileID   string `json:"file_id"`
		FileData string `json:"file_data"`
		Filename string `json:"filename"`
	} `json:"file"`
	Source *struct {
		MediaType string `json:"media_type"`
		Data      string `json:"data"`
		URL       string `json:"url"`
	} `json:"source"`
}

type stdContent struct {
	Text  string
	Parts []stdPart
	Raw   json.RawMessage
}

func (c *stdContent) UnmarshalJSON(data []byte) error {
	switch data[0] {
	case '"':
		return json.Unmarshal(data, &c.Text)
	case '[':
		var typeErr *json.UnmarshalTypeError
		if err := json.Unmarshal(data, &c.Parts); err != nil && !errors.As(err, &typeErr) {
			return err
		}
	case 'n':
	default:
		c.Raw = append(c.Raw[:0], data...)
	}
	return nil
}

// renderStd renders s as renderAll does, through encoding/json into *msgs,
// which it reuses as the mapper does.
func renderStd(dst []byte, msgs *[]stdMessage, s string) []byte {
	clear((*msgs)[:cap(*msgs)])
	*msgs = (*msgs)[:0]
	// As the mapper does, a value of an unexpected type is skipped, not the whole.
	var typeErr *json.UnmarshalTypeError
	if err := json.Unmarshal([]byte(s), msgs); err != nil && !errors.As(err, &typeErr) {
		return append(dst, '!')
	}
	for _, m := range *msgs {
		dst = append(append(append(append(dst, m.Role...), ' '), m.FinishReason...), ':')
		for _, p := range m.Parts {
			dst = append(append(append(append(dst, '\n'), p.Type...), ' '), p.Content.Text...)
			dst = appendRaw(dst, p.Content.Raw)
			dst = append(append(dst, p.ID...), p.Name...)
			dst = appendRaw(appendRaw(dst, p.Arguments), p.Response)
		}
		dst = append(dst, '\n')
	}
	return dst
}

// appendRaw is the mapper's appendJSONValue: a string's text, else compact JSON.
func appendRaw(dst []byte, raw json.RawMessage) []byte {
	if len(raw) == 0 || string(raw) == "null" {
		return dst
	}
	if raw[0] == '"' {
		var s string
		_ = json.Unmarshal(raw, &s)
		return append(dst, s...)
	}
	buf := bytes.NewBuffer(dst)
	_ = json.Compact(buf, raw)
	return buf.Bytes()
}
