package helicone

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateBodyAccepts(t *testing.T) {
	for name, b := range map[string]string{
		"minimal span":        string(body(span("t1", "s1"))),
		"no resource spans":   `{"resourceSpans":[]}`,
		"string and int":      string(body(span("t1", "s1", strAttr("gen_ai.system", "openai"), intAttr("llm.usage.total_tokens", 3)))),
		"resource arrayValue": `{"resourceSpans":[{"resource":{"attributes":[{"key":"process.command_args","value":{"arrayValue":{"values":[{"stringValue":"node"}]}}}],"droppedAttributesCount":0},"scopeSpans":[]}]}`,
		"events unchecked":    string(withSpan(t, func(s map[string]any) { s["events"] = []any{map[string]any{"name": "x", "anything": true}, nil} })),
		"events null":         string(withSpan(t, func(s map[string]any) { s["events"] = nil })),
		"numeric strings":     string(withSpan(t, func(s map[string]any) { s["kind"] = "3"; s["droppedLinksCount"] = "1e2" })),
		"empty value":         string(body(span("t", "s", `{"key":"k","value":{}}`))),
		"a lone span":         `{"resourceSpans":[{"resource":{"attributes":[],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"n","version":""},"spans":` + span("t", "s") + `}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, ValidateBody([]byte(b)))
		})
	}
}

// The details are keyed as the server keys them: relative to the nearest
// list, the extra properties of an object in one entry.
func TestValidateBodyRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		body    []byte
		problem Problem
	}{
		"parentSpanId": {withSpan(t, func(s map[string]any) { s["parentSpanId"] = "abc" }),
			Problem{"spans.$0", `"parentSpanId" is an excess property and therefore is not allowed`, []byte(`{"parentSpanId":"abc"}`)}},
		"status.message": {withSpan(t, func(s map[string]any) { s["status"] = map[string]any{"code": 2, "message": "boom"} }),
			Problem{"spans.$0.status", `"message" is an excess property and therefore is not allowed`, []byte(`{"message":"boom"}`)}},
		"boolValue": {body(span("t", "s", `{"key":"k","value":{"boolValue":true}}`)),
			Problem{"attributes.$0.value", `"boolValue" is an excess property and therefore is not allowed`, []byte(`{"boolValue":true}`)}},
		"intValue not numeric": {body(span("t", "s", `{"key":"k","value":{"intValue":"3x"}}`)),
			Problem{"attributes.$0.value.intValue", "invalid float number", []byte(`"3x"`)}},
		"intValue too big": {body(span("t", "s", `{"key":"k","value":{"intValue":1e400}}`)),
			Problem{"attributes.$0.value.intValue", "invalid float number", []byte(`null`)}},
		"missing events": {withSpan(t, func(s map[string]any) { delete(s, "events") }),
			Problem{"spans.$0.events", "'events' is required", nil}},
		"time as number": {withSpan(t, func(s map[string]any) { s["startTimeUnixNano"] = 1700000000000000000 }),
			Problem{"spans.$0.startTimeUnixNano", "invalid string value", []byte(`1700000000000000000`)}},
		"null name": {withSpan(t, func(s map[string]any) { s["name"] = nil }),
			Problem{"spans.$0.name", "invalid string value", []byte(`null`)}},
		"null attributes": {withSpan(t, func(s map[string]any) { s["attributes"] = nil }),
			Problem{"attributes.$0", "invalid object", []byte(`null`)}},
		"no resourceSpans": {[]byte(`{}`), Problem{"traceBody.resourceSpans", "'resourceSpans' is required", nil}},
		"not an object":    {[]byte(`[]`), Problem{"traceBody", "invalid object", []byte(`[]`)}},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidateBody(tc.body)
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			require.Equal(t, []Problem{tc.problem}, verr.Problems)
			require.Contains(t, err.Error(), `"`+tc.problem.Path+`"`)
		})
	}
}

// Several extra properties of one object are one entry, in key order.
func TestValidateBodyJoinsExtraProperties(t *testing.T) {
	err := ValidateBody(withSpan(t, func(s map[string]any) {
		s["parentSpanId"] = "p"
		s["flags"] = 0
		delete(s, "links")
	}))
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, []Problem{
		{"spans.$0", `"flags,parentSpanId" is an excess property and therefore is not allowed`, []byte(`{"flags":0,"parentSpanId":"p"}`)},
		{"spans.$0.links", "'links' is required", nil},
	}, verr.Problems)
}

// The same key from another span replaces the earlier problem, so the
// details can list fewer problems than there are.
func TestValidateBodyLaterProblemReplacesEarlier(t *testing.T) {
	spans := make([]string, 12)
	for i := range spans {
		spans[i] = span("t", "s", `{"key":"k","value":{"boolValue":true}}`)
	}
	spans[11] = span("t", "s", `{"key":"k","value":{"doubleValue":1}}`)
	err := ValidateBody(body(spans...))
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	require.Len(t, verr.Problems, 1)
	require.Contains(t, verr.Problems[0].Message, "doubleValue")
}

func TestValidateBodyNotJSON(t *testing.T) {
	for _, b := range []string{"", "{", "{} {}", "resourceSpans"} {
		err := ValidateBody([]byte(b))
		require.ErrorIs(t, err, ErrInvalidJSON, "body %q", b)
	}
}

// The fixtures are raw OTLP/JSON from real instrumentations: Helicone
// rejects them as they are, which is why the exporter re-encodes.
func TestValidateBodyRejectsRawFixtures(t *testing.T) {
	files, err := filepath.Glob("../../testdata/genai/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var verr *ValidationError
		require.ErrorAs(t, ValidateBody(b), &verr, f)
		require.Contains(t, verr.Error(), "is an excess property", f)
	}
}

func TestValidateBodyConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = ValidateBody(body(span("t", "s"))) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

// withSpan is a valid one-span body after edit changes the span.
func withSpan(t *testing.T, edit func(span map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body(span("t1", "s1", strAttr("k", "v"))), &doc))
	s := doc["resourceSpans"].([]any)[0].(map[string]any)["scopeSpans"].([]any)[0].(map[string]any)["spans"].([]any)[0].(map[string]any)
	edit(s)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return b
}
