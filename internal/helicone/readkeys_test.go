package helicone

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// wireShape is one way a span attribute value can be sent: the two kinds
// the validator accepts in their variants, and what a naive encoder of
// each pdata type would send, which the validator refuses.
type wireShape struct {
	name     string
	json     string
	kind     Kind // what stringValue ?? intValue yields; "" for undefined
	rejected bool // 422 for the whole request
}

var wireShapes = []wireShape{
	{"string", `{"stringValue":"v"}`, KindString, false},
	{"empty string", `{"stringValue":""}`, KindString, false},
	{"numeric string", `{"stringValue":"7"}`, KindString, false},
	{"int", `{"intValue":7}`, KindInt, false},
	{"int as numeric string", `{"intValue":"7"}`, KindInt, false},
	{"int as fraction", `{"intValue":1.5}`, KindInt, false},
	{"string and int", `{"stringValue":"v","intValue":7}`, KindString, false},
	{"empty value", `{}`, "", false},
	{"bool", `{"boolValue":true}`, "", true},
	{"double", `{"doubleValue":0.5}`, "", true},
	{"bytes", `{"bytesValue":"AAE="}`, "", true},
	{"array", `{"arrayValue":{"values":[{"stringValue":"a"}]}}`, "", true},
	{"kvlist", `{"kvlistValue":{"values":[]}}`, "", true},
	{"null", `null`, "", true},
	{"null string", `{"stringValue":null}`, "", true},
	{"int not numeric", `{"intValue":"abc"}`, "", true},
}

// instance is a concrete key for a ReadKeys pattern.
func instance(pattern string) string {
	return strings.NewReplacer(".N.", ".0.", "-X", "-Team").Replace(pattern)
}

func attr(key, value string) string { return `{"key":` + quote(key) + `,"value":` + value + `}` }

// throws is the oracle the tests hold the model to: the parser throws on a
// span when a key that Throws ends up, last value winning, in the other kind.
func throws(kinds map[string]Kind) bool {
	for key, kind := range kinds {
		if rk, ok := LookupReadKey(key); ok && rk.Throws && kind != "" && kind != rk.Want {
			return true
		}
	}
	return false
}

// Every listed key is read: sending it changes the log.
func TestReadKeysAreRead(t *testing.T) {
	for _, rk := range ReadKeys {
		t.Run(rk.Key, func(t *testing.T) {
			key := instance(rk.Key)
			value := `{"stringValue":"Zz"}`
			if rk.Want == KindInt {
				value = `{"intValue":1234}`
			}
			// Content and finish_reason count only when the role is there.
			base := []string{strAttr("gen_ai.prompt.0.role", "user"), strAttr("gen_ai.completion.0.role", "assistant")}
			var without []string
			for _, a := range base {
				if !strings.Contains(a, quote(key)) {
					without = append(without, a)
				}
			}
			require.NotEqual(t, logJSON(t, without...), logJSON(t, append(base, attr(key, value))...))
			got, ok := LookupReadKey(key)
			require.True(t, ok)
			require.Equal(t, rk.Key, got.Key)
		})
	}
}

// Keys that look read but are not leave the log as it was, and are not in
// ReadKeys.
func TestUnlistedKeysAreNotRead(t *testing.T) {
	base := logJSON(t, strAttr("gen_ai.prompt.0.role", "user"))
	for _, key := range []string{
		"gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
		"gen_ai.prompt.0.name", "gen_ai.input.messages", "traceloop.association.properties.Other",
		"llm.model_name", "service.name", "gen_ai.prompt.01.content",
	} {
		require.Equal(t, base, logJSON(t, strAttr("gen_ai.prompt.0.role", "user"), attr(key, `{"stringValue":"Zz"}`)), key)
		_, ok := LookupReadKey(key)
		require.False(t, ok, key)
	}
}

func logJSON(t *testing.T, attrs ...string) string {
	t.Helper()
	calls, err := ReadCalls(body(span("t", "s", attrs...)))
	require.NoError(t, err)
	b, err := json.Marshal(calls[0].Log)
	require.NoError(t, err)
	return string(b)
}

// Every read key in every wire shape, in the middle of a batch of healthy
// spans: the whole batch is refused (422) or logged (200), except where the
// parser throws: 500 after logging the span before it, never the one after.
func TestReadKeysEveryWireShape(t *testing.T) {
	s := New(Options{})
	url := serve(t, s)
	for _, rk := range ReadKeys {
		for _, sh := range wireShapes {
			t.Run(rk.Key+"/"+sh.name, func(t *testing.T) {
				key := instance(rk.Key)
				before := s.SpanCount()
				r := post(t, url, body(
					span("t", "before", strAttr("gen_ai.system", "openai")),
					span("t", "poison?", attr(key, sh.json)),
					span("t", "after", strAttr("gen_ai.system", "openai")),
				), nil)
				logged := s.Calls()[before:]
				switch {
				case sh.rejected:
					require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
					require.Empty(t, logged)
				case throws(map[string]Kind{key: sh.kind}):
					require.Equal(t, http.StatusInternalServerError, r.status, r.body)
					require.Empty(t, r.body)
					require.Len(t, logged, 1)
					require.Equal(t, "before", logged[0].SpanID)
				default:
					require.Equal(t, http.StatusOK, r.status, r.body)
					require.Len(t, logged, 3)
				}
			})
		}
	}
}

// fuzzKeys are the keys the fuzz test draws from: every read key and a few
// that are not read.
var fuzzKeys = func() []string {
	var keys []string
	for _, rk := range ReadKeys {
		keys = append(keys, instance(rk.Key))
	}
	return append(keys, "gen_ai.request.model", "gen_ai.prompt.1.role", "gen_ai.completion.3.content", "other")
}()

// FuzzReadKeyTypes sends batches of spans whose attributes, read or not,
// carry arbitrary wire shapes, and holds the model to the oracle: 422 and
// nothing logged when any value has a refused shape; else 500 exactly when
// some span throws, with the spans before the first such span logged;
// else 200 with every span logged.
func FuzzReadKeyTypes(f *testing.F) {
	f.Add([]byte{3, 1, 0, 3, 0, 0})
	f.Add([]byte{2, 2, 0, 0, 0, 4, 1, 1, 0, 3})
	f.Add([]byte{4, 0, 1, 5, 8, 2, 0, 3, 9, 1, 1, 0, 7})
	s := New(Options{})
	url := serve(f, s)
	f.Fuzz(func(t *testing.T, choices []byte) {
		next := func(n int) int {
			if len(choices) == 0 {
				return 0
			}
			c := int(choices[0])
			choices = choices[1:]
			return c % n
		}
		var spans []string
		rejected, firstThrow := false, -1
		for i := range 1 + next(4) {
			var attrs []string
			kinds := map[string]Kind{}
			for range next(6) {
				key, sh := fuzzKeys[next(len(fuzzKeys))], wireShapes[next(len(wireShapes))]
				attrs = append(attrs, attr(key, sh.json))
				kinds[key] = sh.kind
				rejected = rejected || sh.rejected
			}
			if firstThrow < 0 && throws(kinds) {
				firstThrow = i
			}
			spans = append(spans, span("t", strconv.Itoa(i), attrs...))
		}
		before := s.SpanCount()
		r := post(t, url, body(spans...), nil)
		logged := s.Calls()[before:]
		switch {
		case rejected:
			require.Equal(t, http.StatusUnprocessableEntity, r.status, r.body)
			require.Empty(t, logged)
		case firstThrow >= 0:
			require.Equal(t, http.StatusInternalServerError, r.status, r.body)
			require.Len(t, logged, firstThrow)
		default:
			require.Equal(t, http.StatusOK, r.status, r.body)
			require.Len(t, logged, len(spans))
		}
		for i, c := range logged {
			require.Equal(t, strconv.Itoa(i), c.SpanID, "the logs are the batch's prefix, in order")
		}
	})
}
