// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// encodeAll encodes every span of td into one body, checking it against the schema.
func encodeAll(t testing.TB, enc *Encoder, td ptrace.Traces) []byte {
	t.Helper()
	refs := AppendRefs(nil, td)
	body, n := enc.Fill(nil, td, refs, nil, math.MaxInt)
	require.Len(t, refs, n)
	require.NoError(t, helicone.ValidateBody(body))
	return body
}

// decoded is the body as generic JSON, for asserting on its shape.
type decoded struct {
	ResourceSpans []struct {
		Resource struct {
			Attributes             []jsonAttr `json:"attributes"`
			DroppedAttributesCount int        `json:"droppedAttributesCount"`
		} `json:"resource"`
		ScopeSpans []struct {
			Scope map[string]string `json:"scope"`
			Spans []map[string]json.RawMessage
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

type jsonAttr struct {
	Key   string                     `json:"key"`
	Value map[string]json.RawMessage `json:"value"`
}

func decode(t *testing.T, body []byte) decoded {
	t.Helper()
	var d decoded
	require.NoError(t, json.Unmarshal(body, &d))
	return d
}

func spanAttrs(t *testing.T, raw json.RawMessage) []jsonAttr {
	t.Helper()
	var attrs []jsonAttr
	require.NoError(t, json.Unmarshal(raw, &attrs))
	return attrs
}

// value renders an attribute value as "kind:json" for compact assertions.
func value(a jsonAttr) string {
	for k, v := range a.Value {
		return k + ":" + string(v)
	}
	return ""
}

func TestEncodeEmptySpanHasEveryRequiredField(t *testing.T) {
	td := ptrace.NewTraces()
	td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	body := encodeAll(t, new(Encoder), td)
	assert.JSONEq(t, `{"resourceSpans":[{"resource":{"attributes":[],"droppedAttributesCount":0},
		"scopeSpans":[{"scope":{"name":"","version":""},"spans":[{"traceId":"","spanId":"","name":"","kind":0,
		"startTimeUnixNano":"0","endTimeUnixNano":"0","attributes":[],"droppedAttributesCount":0,
		"events":[],"droppedEventsCount":0,"links":[],"droppedLinksCount":0,"status":{"code":0}}]}]}]}`, string(body))
}

func TestEncodeSpanFields(t *testing.T) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().SetDroppedAttributesCount(3)
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@traceloop/instrumentation-openai")
	ss.Scope().SetVersion("0.22.8")
	ss.Scope().Attributes().PutStr("not", "in schema")
	span := ss.Spans().AppendEmpty()
	span.SetTraceID(pcommon.TraceID{0xAB, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xFF})
	span.SetSpanID(pcommon.SpanID{0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2, 3})
	span.SetParentSpanID(pcommon.SpanID{1, 1, 1, 1, 1, 1, 1, 1})
	span.TraceState().FromRaw("k=v")
	span.SetName("openai.chat")
	span.SetKind(ptrace.SpanKindClient)
	span.SetStartTimestamp(1_700_000_000_123_456_789)
	span.SetEndTimestamp(1_700_000_001_000_000_000)
	span.SetDroppedAttributesCount(1)
	span.SetDroppedEventsCount(2)
	span.SetDroppedLinksCount(4)
	span.Status().SetCode(ptrace.StatusCodeError)
	span.Status().SetMessage("not in schema")

	body := encodeAll(t, new(Encoder), td)
	d := decode(t, body)
	assert.Equal(t, 3, d.ResourceSpans[0].Resource.DroppedAttributesCount)
	assert.Equal(t, map[string]string{"name": "@traceloop/instrumentation-openai", "version": "0.22.8"}, d.ResourceSpans[0].ScopeSpans[0].Scope)
	got := d.ResourceSpans[0].ScopeSpans[0].Spans[0]
	want := map[string]string{
		"traceId": `"ab0102030405060708090a0b0c0d0eff"`, "spanId": `"deadbeef00010203"`,
		"name": `"openai.chat"`, "kind": `3`,
		"startTimeUnixNano": `"1700000000123456789"`, "endTimeUnixNano": `"1700000001000000000"`,
		"droppedAttributesCount": `1`, "droppedEventsCount": `2`, "droppedLinksCount": `4`,
		"status": `{"code":2}`, "attributes": `[]`, "events": `[]`, "links": `[]`,
	}
	gotText := map[string]string{}
	for k, v := range got {
		gotText[k] = string(v)
	}
	assert.Equal(t, want, gotText, "exactly the schema's fields: no parentSpanId, traceState, flags or status.message")
}

func TestEncodeValueMapping(t *testing.T) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rattrs := rs.Resource().Attributes()
	rattrs.PutStr("service.name", "chat-api")
	rattrs.PutEmptySlice("process.command_args").FromRaw([]any{"node", "server.js"})
	rattrs.PutEmptySlice("mixed").FromRaw([]any{"a", int64(1)})
	attrs := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty().Attributes()
	attrs.PutStr("str", `say "hi"`+"\n\t\\ ✓")
	attrs.PutInt("int", 42)
	attrs.PutInt("safe.max", 1<<53)
	attrs.PutInt("big", math.MaxInt64)
	attrs.PutInt("big.neg", math.MinInt64)
	attrs.PutBool("bool", true)
	attrs.PutDouble("double", 0.1)
	attrs.PutDouble("nan", math.NaN())
	attrs.PutDouble("inf", math.Inf(1))
	attrs.PutDouble("ninf", math.Inf(-1))
	attrs.PutEmptyBytes("bytes").FromRaw([]byte{0, 1, 2, 0xff})
	attrs.PutEmpty("empty")
	m := attrs.PutEmptyMap("map")
	m.PutStr("s", "x")
	m.PutDouble("nan", math.NaN())
	m.PutInt("big", math.MaxInt64)
	m.PutEmptyMap("nested").PutEmptySlice("list").FromRaw([]any{true, 1.5, nil})
	attrs.PutEmptySlice("tags").FromRaw([]any{"a", "b"})

	enc := new(Encoder)
	d := decode(t, encodeAll(t, enc, td))
	gotRes := map[string]string{}
	for _, a := range d.ResourceSpans[0].Resource.Attributes {
		gotRes[a.Key] = value(a)
	}
	assert.Equal(t, map[string]string{
		"service.name":         `stringValue:"chat-api"`,
		"process.command_args": `arrayValue:{"values":[{"stringValue":"node"},{"stringValue":"server.js"}]}`,
		"mixed":                `stringValue:"[\"a\",1]"`,
	}, gotRes)

	got := map[string]string{}
	for _, a := range spanAttrs(t, d.ResourceSpans[0].ScopeSpans[0].Spans[0]["attributes"]) {
		got[a.Key] = value(a)
	}
	assert.Equal(t, map[string]string{
		"str":      `stringValue:"say \"hi\"\n\t\\ ✓"`,
		"int":      `intValue:42`,
		"safe.max": `intValue:9007199254740992`,
		"big":      `stringValue:"9223372036854775807"`,
		"big.neg":  `stringValue:"-9223372036854775808"`,
		"bool":     `stringValue:"true"`,
		"double":   `stringValue:"0.1"`,
		"nan":      `stringValue:"NaN"`,
		"inf":      `stringValue:"Infinity"`,
		"ninf":     `stringValue:"-Infinity"`,
		"bytes":    `stringValue:"AAEC/w=="`,
		"empty":    `stringValue:""`,
		"map":      `stringValue:"{\"s\":\"x\",\"nan\":\"NaN\",\"big\":\"9223372036854775807\",\"nested\":{\"list\":[true,1.5,null]}}"`,
		"tags":     `stringValue:"[\"a\",\"b\"]"`,
	}, got)

	want := map[string]int64{"int_beyond_2^53": 2, "bool": 1, "double": 4, "bytes": 1, "empty": 1, "map": 1, "slice": 2}
	for reason, n := range enc.Repairs() {
		assert.Equal(t, want[RepairNames[reason]], n, RepairNames[reason])
	}
}

func TestEncodeInvalidUTF8StaysValidJSON(t *testing.T) {
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetName("bad\xffname")
	span.Attributes().PutStr("k\xc3", "v\xe2\x82 ok \x00 ctl\u2028")
	enc := new(Encoder)
	body := encodeAll(t, enc, td)
	require.True(t, json.Valid(body))
	d := decode(t, body)
	s := d.ResourceSpans[0].ScopeSpans[0].Spans[0]
	assert.JSONEq(t, `"bad\ufffdname"`, string(s["name"]))
	attrs := spanAttrs(t, s["attributes"])
	assert.Equal(t, "k\ufffd", attrs[0].Key)
	assert.Equal(t, `stringValue:"v\ufffd\ufffd ok \u0000 ctl`+"\u2028"+`"`, value(attrs[0]), "each invalid byte becomes U+FFFD, as encoding/json does")
	assert.Equal(t, int64(4), enc.Repairs()[repairInvalidUTF8])
}

func TestEncodeEventsAndLinksKeepTheRestrictedForm(t *testing.T) {
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	ev := span.Events().AppendEmpty()
	ev.SetName("gen_ai.content.prompt")
	ev.SetTimestamp(5)
	ev.SetDroppedAttributesCount(1)
	ev.Attributes().PutBool("exception.escaped", false)
	ev.Attributes().PutStr("gen_ai.prompt", "hi")
	link := span.Links().AppendEmpty()
	link.SetTraceID(pcommon.TraceID{1})
	link.SetSpanID(pcommon.SpanID{2})
	link.Attributes().PutDouble("weight", 0.5)
	body := encodeAll(t, new(Encoder), td)
	s := decode(t, body).ResourceSpans[0].ScopeSpans[0].Spans[0]
	assert.JSONEq(t, `[{"timeUnixNano":"5","name":"gen_ai.content.prompt","attributes":[
		{"key":"exception.escaped","value":{"stringValue":"false"}},{"key":"gen_ai.prompt","value":{"stringValue":"hi"}}],
		"droppedAttributesCount":1}]`, string(s["events"]))
	assert.JSONEq(t, `[{"traceId":"01000000000000000000000000000000","spanId":"0200000000000000",
		"attributes":[{"key":"weight","value":{"stringValue":"0.5"}}],"droppedAttributesCount":0}]`, string(s["links"]))
}

func TestEncodeMessagesInNumericOrder(t *testing.T) {
	td := ptrace.NewTraces()
	attrs := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().Attributes()
	attrs.PutStr("gen_ai.completion.1.role", "assistant")
	attrs.PutStr("gen_ai.prompt.10.role", "user")
	attrs.PutStr("gen_ai.prompt.10.content", "eleventh")
	attrs.PutStr("gen_ai.system", "openai")
	for i, text := range []string{"first", "second", "third"} {
		n := []string{"0", "1", "2"}[i]
		attrs.PutStr("gen_ai.prompt."+n+".content", text)
		attrs.PutStr("gen_ai.prompt."+n+".role", "user")
	}
	attrs.PutStr("gen_ai.completion.0.role", "assistant")
	attrs.PutStr("gen_ai.completion.0.content", "answer")
	attrs.PutStr("gen_ai.prompt.x.role", "not an index")

	added := []genai.Attr{
		{Key: "gen_ai.prompt.3.role", Str: "user"},
		{Key: "gen_ai.prompt.3.content", Str: "fourth, added"},
		{Key: "gen_ai.prompt.0.content", Str: "must not overwrite"},
		{Key: "gen_ai.usage.prompt_tokens", Num: 12, IsNum: true},
	}
	enc := new(Encoder)
	body, n := enc.Fill(nil, td, AppendRefs(nil, td), nil, math.MaxInt)
	require.Equal(t, 1, n)
	require.NoError(t, helicone.ValidateBody(body))
	// Re-encode the one span with added attributes, as the GenAI mapping does.
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	spanJSON := enc.appendSpan(nil, span, added)
	var s map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(spanJSON, &s))
	var keys []string
	for _, a := range spanAttrs(t, s["attributes"]) {
		keys = append(keys, a.Key+"="+value(a))
	}
	assert.Equal(t, []string{
		`gen_ai.system=stringValue:"openai"`,
		`gen_ai.prompt.x.role=stringValue:"not an index"`,
		`gen_ai.usage.prompt_tokens=intValue:12`,
		`gen_ai.prompt.0.content=stringValue:"first"`,
		`gen_ai.prompt.0.role=stringValue:"user"`,
		`gen_ai.prompt.1.content=stringValue:"second"`,
		`gen_ai.prompt.1.role=stringValue:"user"`,
		`gen_ai.prompt.2.content=stringValue:"third"`,
		`gen_ai.prompt.2.role=stringValue:"user"`,
		`gen_ai.prompt.3.role=stringValue:"user"`,
		`gen_ai.prompt.3.content=stringValue:"fourth, added"`,
		`gen_ai.prompt.10.role=stringValue:"user"`,
		`gen_ai.prompt.10.content=stringValue:"eleventh"`,
		`gen_ai.completion.0.role=stringValue:"assistant"`,
		`gen_ai.completion.0.content=stringValue:"answer"`,
		`gen_ai.completion.1.role=stringValue:"assistant"`,
	}, keys)

	// What Helicone makes of it: messages in numeric order.
	calls, err := helicone.ReadCalls(body)
	require.NoError(t, err)
	require.Len(t, calls, 1)
	var contents []string
	for _, m := range calls[0].Messages {
		contents = append(contents, m.Content)
	}
	assert.Equal(t, []string{"first", "second", "third", "eleventh"}, contents)
}

func TestFillSplitsByteLimit(t *testing.T) {
	td := ptrace.NewTraces()
	for r := range 3 {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutInt("r", int64(r))
		for s := range 2 {
			ss := rs.ScopeSpans().AppendEmpty()
			ss.Scope().SetName("scope")
			for i := range 5 {
				span := ss.Spans().AppendEmpty()
				span.SetSpanID(pcommon.SpanID{byte(r), byte(s), byte(i), 1})
				span.Attributes().PutStr("gen_ai.prompt.0.content", strings.Repeat("x", 300))
			}
		}
	}
	refs := AppendRefs(nil, td)
	require.Len(t, refs, 30)
	enc := new(Encoder)
	const limit = 2000
	seen := map[string]bool{}
	for lo := 0; lo < len(refs); {
		body, n := enc.Fill(nil, td, refs[lo:], nil, limit)
		require.Positive(t, n)
		assert.LessOrEqual(t, len(body), limit)
		require.NoError(t, helicone.ValidateBody(body))
		calls, err := helicone.ReadCalls(body)
		require.NoError(t, err)
		require.Len(t, calls, n)
		for _, c := range calls {
			assert.False(t, seen[c.SpanID], "span %s in two bodies", c.SpanID)
			seen[c.SpanID] = true
		}
		lo += n
	}
	assert.Len(t, seen, 30)

	body, n := enc.Fill([]byte("keep"), td, refs, nil, 200)
	assert.Zero(t, n, "a span larger than the limit does not fit alone")
	assert.Equal(t, "keep", string(body), "nothing is written when nothing fits")
}

func TestEncodeFixturesAreSchemaValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "genai", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			td := readFixture(t, file)
			body := encodeAll(t, new(Encoder), td)
			calls, err := helicone.ReadCalls(body)
			require.NoError(t, err)
			assert.Equal(t, td.SpanCount(), len(calls))
		})
	}
}

func readFixture(t testing.TB, file string) ptrace.Traces {
	t.Helper()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
	require.NoError(t, err)
	return td
}

func TestAppendTimestampMatchesStrconv(t *testing.T) {
	enc := new(Encoder)
	values := []uint64{0, 9, 999_999_999, 1_000_000_000, 1_000_000_001, 1_763_700_000_000_000_000,
		1_763_700_000_000_000_007, 1_763_700_001_999_999_999, 1_763_700_001_000_000_000, math.MaxUint64, math.MaxUint64 - 1}
	for i := range uint64(2000) {
		values = append(values, 1_763_700_000_000_000_000+i*7_919_113, i*1_000_003)
	}
	for _, v := range values {
		got := string(enc.appendTimestamp(nil, pcommon.Timestamp(v)))
		require.Equal(t, `"`+strconv.FormatUint(v, 10)+`"`, got)
	}
}

func TestFillWithoutAddedAttributesAddsNothing(t *testing.T) {
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.Attributes().PutStr("gen_ai.provider.name", "openai")
	calls, err := helicone.ReadCalls(encodeAll(t, new(Encoder), td))
	require.NoError(t, err)
	assert.Empty(t, calls[0].Provider)
}

func TestAddedCountBeyondSafeIntegersIsLeftOut(t *testing.T) {
	td := ptrace.NewTraces()
	td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	// A total computed from two counts of 2^53 each.
	added := [][]genai.Attr{{{Key: "llm.usage.total_tokens", Num: 1 << 54, IsNum: true}}}
	enc := new(Encoder)
	body, n := enc.Fill(nil, td, AppendRefs(nil, td), added, math.MaxInt)
	require.Equal(t, 1, n)
	require.NoError(t, helicone.ValidateBody(body))
	attrs := spanAttrs(t, decode(t, body).ResourceSpans[0].ScopeSpans[0].Spans[0]["attributes"])
	assert.Empty(t, attrs, "a JavaScript number would round it, and Helicone reads the key as a number")
	assert.Equal(t, int64(1), enc.Repairs()[repairNotInt])
}

// TestEncodeLeavesOutInternalKeys: what the exporter adds for its own use (the
// session ancestors selection saw) never reaches Helicone, whatever attributes.send.
func TestEncodeLeavesOutInternalKeys(t *testing.T) {
	td := ptrace.NewTraces()
	attrs := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().Attributes()
	attrs.PutStr(genai.KeyAncestors, "/weather_agent")
	attrs.PutStr(genai.KeyRunName, "weather_agent")
	attrs.PutStr("gen_ai.system", "openai")
	attrs.PutStr("app.tag", "kept")
	for _, heliconeOnly := range []bool{false, true} {
		d := decode(t, encodeAll(t, NewEncoder(heliconeOnly), td))
		var keys []string
		for _, a := range spanAttrs(t, d.ResourceSpans[0].ScopeSpans[0].Spans[0]["attributes"]) {
			keys = append(keys, a.Key)
		}
		assert.NotContains(t, keys, genai.KeyAncestors)
		assert.NotContains(t, keys, genai.KeyRunName)
		assert.Contains(t, keys, "gen_ai.system")
		assert.Equal(t, !heliconeOnly, slices.Contains(keys, "app.tag"))
	}
}
