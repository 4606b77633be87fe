package helicone

import (
	"regexp"
	"strings"
	"sync"
)

// Kind is the wire type of a span attribute value. The validator lets only
// these two through: any other (boolValue, doubleValue, bytesValue,
// arrayValue, kvlistValue, or null) fails the whole request with 422,
// whichever the key.
type Kind string

const (
	KindString Kind = "stringValue"
	KindInt    Kind = "intValue"
)

// ReadKey is a span attribute the server's parser reads, the wire type it
// expects, and what the other type does.
type ReadKey struct {
	// Key is the attribute key; N stands for a message index (0, 1, ...;
	// the parser takes parseInt of the third dot-separated part) and X for
	// any non-empty name.
	Key  string
	Want Kind
	// Throws: the other type makes the parser throw, so the server answers
	// 500 after logging the spans before this one, and never logs it or
	// the rest of the request. Retrying repeats that exactly.
	Throws bool
	// Otherwise says what the other type becomes when it does not throw.
	Otherwise string
}

// ReadKeys are every span attribute Helicone's parser reads (jawn's
// TraceManager), checked against the recorded cases by contract_test.go
// and against the model by readkeys_test.go. An exporter must send each in
// its Want type, whatever type the span had. Keys not listed are not read:
// the server ignores them (but still rejects the request for a value type
// other than KindString or KindInt).
var ReadKeys = []ReadKey{
	{Key: "gen_ai.system", Want: KindString, Throws: true,
		Otherwise: "an intValue makes toUpperCase() throw: 500 after the spans before it were logged"},
	{Key: "gen_ai.response.model", Want: KindString, Otherwise: "requestBody.model and responseBody.model hold a number"},
	{Key: "llm.request.type", Want: KindString, Otherwise: "responseBody.object holds a number"},
	{Key: "gen_ai.prompt.N.role", Want: KindString, Otherwise: "the message's role is a number"},
	{Key: "gen_ai.prompt.N.content", Want: KindString, Otherwise: "the message's content is a number"},
	{Key: "gen_ai.completion.N.role", Want: KindString, Otherwise: "the choice's role is a number"},
	{Key: "gen_ai.completion.N.content", Want: KindString, Otherwise: "the choice's content is a number"},
	{Key: "gen_ai.completion.N.finish_reason", Want: KindString, Otherwise: "the choice's finish_reason is a number"},
	{Key: "traceloop.association.properties.Helicone-User-Id", Want: KindString, Otherwise: "request.userId is a number"},
	{Key: "llm.user", Want: KindString, Otherwise: "request.userId is a number (read only without Helicone-User-Id)"},
	{Key: "traceloop.association.properties.Helicone-Property-X", Want: KindString, Otherwise: "property X is a number"},
	{Key: "traceloop.association.properties.Helicone-Session-Id", Want: KindString, Otherwise: "the session property is a number"},
	{Key: "traceloop.association.properties.Helicone-Session-Path", Want: KindString, Otherwise: "the session property is a number"},
	{Key: "traceloop.association.properties.Helicone-Session-Name", Want: KindString, Otherwise: "the session property is a number"},
	{Key: "traceloop.association.properties.Helicone-X", Want: KindString, Otherwise: `property "Helicone-X" is a number`},
	{Key: "gen_ai.response.max_tokens", Want: KindInt, Otherwise: "requestBody.max_tokens holds a string"},
	{Key: "gen_ai.usage.prompt_tokens", Want: KindInt, Otherwise: "usage.prompt_tokens holds a string"},
	{Key: "gen_ai.usage.completion_tokens", Want: KindInt, Otherwise: "usage.completion_tokens holds a string"},
	{Key: "llm.usage.total_tokens", Want: KindInt, Otherwise: "usage.total_tokens holds a string"},
}

// LookupReadKey returns the entry of ReadKeys that key matches, the first
// in order when several do.
func LookupReadKey(key string) (ReadKey, bool) {
	for i, re := range readKeyPatterns() {
		if re.MatchString(key) {
			return ReadKeys[i], true
		}
	}
	return ReadKey{}, false
}

var readKeyPatterns = sync.OnceValue(func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(ReadKeys))
	for i, k := range ReadKeys {
		p := regexp.QuoteMeta(k.Key)
		p = strings.Replace(p, `\.N\.`, `\.(0|-?[1-9][0-9]*)\.`, 1)
		if strings.HasSuffix(p, "-X") {
			p = strings.TrimSuffix(p, "X") + ".+"
		}
		out[i] = regexp.MustCompile("^" + p + "$")
	}
	return out
})
