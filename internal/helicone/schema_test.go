package helicone

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const spanPath = "/resourceSpans/0/scopeSpans/0/spans/0"

func TestValidateBodyAccepts(t *testing.T) {
	for name, b := range map[string]string{
		"minimal span":        string(body(span("t1", "s1"))),
		"no resource spans":   `{"resourceSpans":[]}`,
		"string and int":      string(body(span("t1", "s1", strAttr("gen_ai.system", "openai"), intAttr("llm.usage.total_tokens", 3)))),
		"resource arrayValue": `{"resourceSpans":[{"resource":{"attributes":[{"key":"process.command_args","value":{"arrayValue":{"values":[{"stringValue":"node"}]}}}],"droppedAttributesCount":0},"scopeSpans":[]}]}`,
		"events unchecked":    string(withSpan(t, func(s map[string]any) { s["events"] = []any{map[string]any{"name": "x", "anything": true}} })),
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, ValidateBody([]byte(b)))
		})
	}
}

func TestValidateBodyRejects(t *testing.T) {
	attr0 := spanPath + "/attributes/0"
	for name, tc := range map[string]struct {
		body []byte
		path string
	}{
		"parentSpanId": {withSpan(t, func(s map[string]any) { s["parentSpanId"] = "abc" }), spanPath + "/parentSpanId"},
		"traceState":   {withSpan(t, func(s map[string]any) { s["traceState"] = "" }), spanPath + "/traceState"},
		"flags":        {withSpan(t, func(s map[string]any) { s["flags"] = 1 }), spanPath + "/flags"},
		"status.message": {withSpan(t, func(s map[string]any) {
			s["status"] = map[string]any{"code": 2, "message": "boom"}
		}), spanPath + "/status/message"},
		"boolValue":          {body(span("t", "s", `{"key":"k","value":{"boolValue":true}}`)), attr0 + "/value/boolValue"},
		"doubleValue":        {body(span("t", "s", `{"key":"k","value":{"doubleValue":0.5}}`)), attr0 + "/value/doubleValue"},
		"span arrayValue":    {body(span("t", "s", `{"key":"k","value":{"arrayValue":{"values":[]}}}`)), attr0 + "/value/arrayValue"},
		"intValue as string": {body(span("t", "s", `{"key":"k","value":{"intValue":"3"}}`)), attr0 + "/value/intValue"},
		"missing events":     {withSpan(t, func(s map[string]any) { delete(s, "events") }), spanPath + "/events"},
		"missing counts":     {withSpan(t, func(s map[string]any) { delete(s, "droppedLinksCount") }), spanPath + "/droppedLinksCount"},
		"time as number":     {withSpan(t, func(s map[string]any) { s["startTimeUnixNano"] = 1700000000000000000 }), spanPath + "/startTimeUnixNano"},
		"null name":          {withSpan(t, func(s map[string]any) { s["name"] = nil }), spanPath + "/name"},
		"null inside events": {withSpan(t, func(s map[string]any) { s["events"] = []any{nil} }), spanPath + "/events/0"},
		"scope.attributes": {
			[]byte(`{"resourceSpans":[{"resource":{"attributes":[],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"n","version":"","attributes":[]},"spans":[]}]}]}`),
			"/resourceSpans/0/scopeSpans/0/scope/attributes",
		},
		"schemaUrl":        {[]byte(`{"resourceSpans":[{"resource":{"attributes":[],"droppedAttributesCount":0},"scopeSpans":[],"schemaUrl":""}]}`), "/resourceSpans/0/schemaUrl"},
		"no resourceSpans": {[]byte(`{}`), "/resourceSpans"},
		"not an object":    {[]byte(`[]`), ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidateBody(tc.body)
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			paths := make([]string, len(verr.Problems))
			for i, p := range verr.Problems {
				paths[i] = p.Path
				require.NotEmpty(t, p.Message)
			}
			require.Equal(t, []string{tc.path}, paths)
			require.Contains(t, err.Error(), `"`+tc.path+`"`)
		})
	}
}

func TestValidateBodyNullSaysNull(t *testing.T) {
	err := ValidateBody(withSpan(t, func(s map[string]any) { s["kind"] = nil }))
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, []Problem{{Path: spanPath + "/kind", Message: "null is not allowed"}}, verr.Problems)
}

func TestValidateBodyListsEveryProblem(t *testing.T) {
	err := ValidateBody(withSpan(t, func(s map[string]any) {
		s["parentSpanId"] = "p"
		s["flags"] = 0
		delete(s, "links")
	}))
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	require.Len(t, verr.Problems, 3)
	require.Equal(t, spanPath+"/flags", verr.Problems[0].Path, "sorted by path")
}

func TestValidateBodyOrdersIndexesNumerically(t *testing.T) {
	spans := make([]string, 12)
	for i := range spans {
		spans[i] = span("t", "s", `{"key":"k","value":{"boolValue":true}}`)
	}
	err := ValidateBody(body(spans...))
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	require.Len(t, verr.Problems, 12)
	require.Equal(t, "/resourceSpans/0/scopeSpans/0/spans/2/attributes/0/value/boolValue", verr.Problems[2].Path)
	require.Equal(t, "/resourceSpans/0/scopeSpans/0/spans/10/attributes/0/value/boolValue", verr.Problems[10].Path)
	require.True(t, strings.HasSuffix(err.Error(), "; and 2 more"), err.Error())
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
		require.Contains(t, verr.Error(), "/parentSpanId", f)
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
