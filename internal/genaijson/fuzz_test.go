package genaijson

import (
	"reflect"
	"testing"
)

// FuzzParse holds this package to encoding/json on any input: the same
// messages, parts and texts, or both refusing it; and never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := extract(s)
		want, stdErr := extractStd(s)
		if (err != nil) != (stdErr != nil) {
			t.Fatalf("Parse(%q): error %v, encoding/json: %v", s, err, stdErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q):\n got %+v\nwant %+v", s, got, want)
		}
	})
}

var fuzzSeeds = []string{
	`[{"role":"system","parts":[{"type":"text","content":"You are terse."}]},{"role":"user","parts":[{"type":"text","content":"Hi \"there\"\n"}]}]`,
	`[{"role":"assistant","finish_reason":"tool_call","parts":[{"type":"text","content":"Let me look."},{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris", "unit" : "celsius"}}]}]`,
	`[{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":{"temperature_c":18.5,"ok":true,"tags":["a",null]}}]}]`,
	`[{"role":"user","parts":[{"type":"blob","modality":"image","mime_type":"image/png","content":"iVBORw0KGgo="},{"type":"uri","uri":"https://x/y.png"}]}]`,
	`[{"role":"user","content":"plain \u00e9\ud83d\ude00 \ud800 end","x":{"deep":[[[{"a":1e10}]]]}}]`,
	`[{"r\u006fle":"user","role":"second","parts":null,"content":[{"type":"text","text":"t"}]}]`,
	"[{\"role\":\"us\xffer\"}]",
	`  [ ]  `, `{}`, `"x"`, `-0.5e+3`, `[1,2`, `[{"role":}]`, `[{"a":1,}]`, `["\x"]`, `[tru]`, `[01]`,
}
