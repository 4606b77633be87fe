package genaijson

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseRefuses(t *testing.T) {
	for _, tc := range []struct {
		in     string
		offset int
		msg    string
	}{
		{``, 0, "unexpected end of JSON, want a value"},
		{`   `, 3, "unexpected end of JSON, want a value"},
		{`[{"role":"user"}`, 16, "unexpected end of JSON, want ',' or the container's end"},
		{`[{"role":}]`, 9, "invalid character '}', want a value"},
		{`[{"role" "user"}]`, 9, "invalid character '\"', want ':' after the key"},
		{`[{role:"user"}]`, 2, "invalid character 'r', want a string key"},
		{`[{"a":1,}]`, 8, "invalid character '}', want a string key"},
		{`[1,]`, 3, "invalid character ']', want a value"},
		{`[1}`, 2, "invalid character '}', want ',' or the container's end"},
		{`{"a":1]`, 6, "invalid character ']', want ',' or the container's end"},
		{`[01]`, 2, "invalid character '1', want ',' or the container's end"},
		{`[-]`, 2, "invalid character ']', want a value"},
		{`[1.]`, 3, "invalid character ']', want a value"},
		{`[1e+]`, 4, "invalid character ']', want a value"},
		{`[tru]`, 4, "invalid character ']', want true"},
		{`[nul`, 4, "unexpected end of JSON, want null"},
		{`["a\x"]`, 4, "invalid character 'x', want an escape"},
		{`["\u12g4"]`, 6, "invalid character 'g', want a hexadecimal digit in \\u"},
		{"[\"tab\there\"]", 5, "invalid character '\\t', want no control character in a string"},
		{`["open`, 6, "unexpected end of JSON, want '\"' closing the string"},
		{"[\xc3\xa9]", 1, "invalid byte 0xc3, want a value"},
		{`[] []`, 3, "invalid character '[', want the end after the top-level value"},
		{strings.Repeat("[", maxDepth+1), maxDepth, "exceeded max depth 10000"},
	} {
		_, err := Parse(tc.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%.40q) = %v, want a SyntaxError", tc.in, err)
			continue
		}
		if want := "genaijson: offset " + strconv.Itoa(tc.offset) + ": " + tc.msg; se.Offset != tc.offset || err.Error() != want {
			t.Errorf("Parse(%.40q): %q (offset %d), want %q at offset %d", tc.in, err, se.Offset, tc.msg, tc.offset)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for in, kind := range map[string]Kind{
		` null `: Null, `true`: Bool, `false`: Bool, `-0.5e+3`: Number, `0`: Number, `12E-2`: Number,
		`"x"`: String, "\t[ ]\r\n": Array, `{ }`: Object, `[[],{},[{}]]`: Array,
		strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth): Array,
	} {
		v, err := Parse(in)
		if err != nil || v.Kind() != kind || v.Raw() != strings.TrimSpace(in) {
			t.Errorf("Parse(%.30q) = %v (%q), %v; want kind %v", in, v.Kind(), v.Raw(), err, kind)
		}
	}
}

// readMessagesInput is a GenAI conventions message list with every part
// type, unknown nested members, escapes, an OpenAI-style message and an
// element that is not a message.
const readMessagesInput = `[
	  {"role": "user", "x-unknown": {"nested": [1, {"parts": "not these"}]}, "parts": [
	    {"type": "text", "content": "What is \"OTel\"?\nSay \u00e9 \ud83d\ude00."},
	    {"type": "blob", "modality": "image", "mime_type": "image/png", "content": "iVBORw0KGgo="},
	    {"type": "uri", "modality": "image", "uri": "https://example.com/a.png"}]},
	  {"role": "assistant", "finish_reason": "tool_call", "parts": [
	    {"type": "tool_call", "id": "call_1", "name": "get_weather", "arguments": { "city" : "Paris", "days": [1, 2] }}]},
	  {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1", "response": "18 \u00b0C"}]},
	  {"r\u006fle": "assistant", "name": "bot", "content": "OpenAI style", "tool_calls": [{"id": "c2", "function": {"name": "f", "arguments": "{}"}}]},
	  "not a message"
	]`

// A GenAI conventions message list with every part type and unknown,
// nested and escaped members reads as the conventions mean it.
func TestReadMessages(t *testing.T) {
	in := readMessagesInput
	got, err := extract(in)
	if err != nil {
		t.Fatal(err)
	}
	want := extracted{Messages: []extractedMessage{
		{Role: "user", Parts: []extractedPart{
			{Type: "text", Content: "What is \"OTel\"?\nSay é 😀."},
			{Type: "blob", MimeType: "image/png", Content: "iVBORw0KGgo="},
			{Type: "uri", URI: "https://example.com/a.png"},
		}},
		{Role: "assistant", FinishReason: "tool_call", Parts: []extractedPart{
			{Type: "tool_call", ID: "call_1", Name: "get_weather", Arguments: `{"city":"Paris","days":[1,2]}`},
		}},
		{Role: "tool", Parts: []extractedPart{{Type: "tool_call_response", ID: "call_1", Response: "18 °C"}}},
		{Role: "assistant", Name: "bot", Content: "OpenAI style", ToolCalls: `[{"id":"c2","function":{"name":"f","arguments":"{}"}}]`},
		{},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if std, _ := extractStd(in); !reflect.DeepEqual(got, std) {
		t.Errorf("encoding/json reads %+v", std)
	}
}

func TestGet(t *testing.T) {
	v, err := Parse(`{"a": 1, "function": {"name": "f", "arguments": "{\"x\":1}"}, "a": [2], "b\u0021": true}`)
	if err != nil {
		t.Fatal(err)
	}
	fn := v.Get("function")
	if got := fn.Get("name").Raw(); got != `"f"` {
		t.Errorf("function.name = %s", got)
	}
	if got := string(fn.Get("arguments").AppendText(nil)); got != `{"x":1}` {
		t.Errorf("function.arguments text = %s", got)
	}
	if got := v.Get("a").Raw(); got != `[2]` {
		t.Errorf("a = %s, want the last of the duplicates", got)
	}
	if got := v.Get("b!").Raw(); got != `true` {
		t.Errorf(`b! = %q, want the escaped key "b\u0021"`, got)
	}
	if got := v.Get("missing"); got.Kind() != Missing || fn.Get("name").Get("x").Kind() != Missing {
		t.Errorf("missing = %v", got.Kind())
	}
}

func TestStrings(t *testing.T) {
	var buf []byte
	for _, tc := range []struct {
		raw, text string
		plain     bool // Str gives it without unescaping
	}{
		{`"plain ascii"`, "plain ascii", true},
		{`"naïve — 日本"`, "naïve — 日本", true},
		{`"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t", false},
		{`"\u00e9\u65e5\ud83d\ude00"`, "é日😀", false},
		{`"lone \ud800 and \udc00\u0041"`, "lone \uFFFD and \uFFFDA", false},
		{`"pair reversed \ude00\ud83d"`, "pair reversed \uFFFD\uFFFD", false},
		{"\"bad \xff\xfe utf8\"", "bad \uFFFD\uFFFD utf8", false},
		{`""`, "", true},
	} {
		v, err := Parse(tc.raw)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := v.Str(); ok != tc.plain || ok && s != tc.text {
			t.Errorf("%s: Str() = %q, %v", tc.raw, s, ok)
		}
		if got := v.Unquote(&buf); got != tc.text {
			t.Errorf("%s: Unquote = %q, want %q", tc.raw, got, tc.text)
		}
		if got := string(v.AppendText([]byte("> "))); got != "> "+tc.text {
			t.Errorf("%s: AppendText = %q", tc.raw, got)
		}
		if !v.Equal(tc.text) || v.Equal(tc.text+"x") {
			t.Errorf("%s: Equal(%q) wrong", tc.raw, tc.text)
		}
	}
	num, _ := Parse(`12.5`)
	if s := num.Unquote(&buf); s != "" || num.Equal("12.5") || string(num.AppendText(nil)) != "12.5" {
		t.Errorf("a number: Unquote %q, AppendText %q", s, num.AppendText(nil))
	}
	null, _ := Parse(`null`)
	if got := null.AppendText(nil); len(got) != 0 {
		t.Errorf("null's text = %q, want nothing", got)
	}
}

// Iterating anything but an array or object yields nothing; the zero Value
// works everywhere.
func TestIteratorsOnOtherValues(t *testing.T) {
	for _, v := range []Value{{}, {raw: `"s"`}, {raw: `1`}, {raw: `{"a":1}`}} {
		if it := v.Elements(); func() bool { _, ok := it.Next(); return ok }() {
			t.Errorf("%q: Elements yielded", v.Raw())
		}
	}
	if m := ReadMessage(Value{raw: `[1]`}); m != (Message{}) {
		t.Errorf("ReadMessage of an array = %+v", m)
	}
	if p := ReadPart(Value{}); p != (Part{}) {
		t.Errorf("ReadPart of nothing = %+v", p)
	}
}
