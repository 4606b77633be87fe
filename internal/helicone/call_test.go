package helicone

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func readOne(t *testing.T, attrs ...string) Call {
	t.Helper()
	calls, err := ReadCalls(body(span("t1", "s1", attrs...)))
	require.NoError(t, err)
	require.Len(t, calls, 1)
	return calls[0]
}

func ptr(n int64) *int64 { return &n }

func TestReadCallsFullCall(t *testing.T) {
	c := readOne(t,
		strAttr("gen_ai.system", "Anthropic"),
		strAttr("gen_ai.request.model", "claude-request"),
		strAttr("gen_ai.response.model", "claude-3-5-sonnet"),
		strAttr("llm.request.type", "chat"),
		intAttr("gen_ai.response.max_tokens", 256),
		strAttr("gen_ai.prompt.0.role", "system"),
		strAttr("gen_ai.prompt.0.content", "be terse"),
		strAttr("gen_ai.prompt.1.role", "user"),
		strAttr("gen_ai.prompt.1.content", "hi"),
		strAttr("gen_ai.completion.0.role", "assistant"),
		strAttr("gen_ai.completion.0.content", "hello"),
		strAttr("gen_ai.completion.0.finish_reason", "stop"),
		intAttr("gen_ai.usage.prompt_tokens", 12),
		intAttr("gen_ai.usage.completion_tokens", 0),
		intAttr("llm.usage.total_tokens", 12),
		intAttr("gen_ai.usage.input_tokens", 99),
		strAttr("traceloop.association.properties.Helicone-User-Id", "u-1"),
		strAttr("llm.user", "not-this-one"),
		strAttr("traceloop.association.properties.Helicone-Session-Id", "s-1"),
		strAttr("traceloop.association.properties.Helicone-Session-Path", "/a/b"),
		strAttr("traceloop.association.properties.Helicone-Session-Name", "demo"),
		strAttr("traceloop.association.properties.Helicone-Property-Team", "core"),
		intAttr("traceloop.association.properties.Helicone-Property-Tier", 2),
	)
	require.Equal(t, Call{
		Log:              c.Log, // compared field by field with the server's in contract_test.go
		SpanName:         "chat",
		TraceID:          "t1",
		SpanID:           "s1",
		Start:            time.Unix(1700000000, 0),
		End:              time.Unix(1700000001, 500000000),
		Provider:         "ANTHROPIC",
		Model:            "claude-3-5-sonnet",
		RequestType:      "chat",
		MaxTokens:        ptr(256),
		Messages:         []Message{{Role: "system", Content: "be terse"}, {Role: "user", Content: "hi"}},
		Choices:          []Choice{{Index: 0, Role: "assistant", Content: "hello", FinishReason: "stop"}},
		PromptTokens:     ptr(12),
		CompletionTokens: ptr(0),
		TotalTokens:      ptr(12),
		UserID:           "u-1",
		SessionID:        "s-1",
		SessionPath:      "/a/b",
		SessionName:      "demo",
		Properties:       map[string]string{"Team": "core", "Tier": "2"},
	}, c)
	require.Equal(t, 1500*time.Millisecond, c.Duration())
}

func TestReadCallsAbsentIsNotZero(t *testing.T) {
	c := readOne(t, strAttr("http.method", "GET"))
	require.Nil(t, c.PromptTokens)
	require.Nil(t, c.CompletionTokens)
	require.Nil(t, c.TotalTokens)
	require.Nil(t, c.MaxTokens)
	require.Nil(t, c.Messages)
	require.Nil(t, c.Properties)
	require.Empty(t, c.Provider)
}

func TestReadCallsPromptOrderIsFirstAppearance(t *testing.T) {
	c := readOne(t,
		strAttr("gen_ai.prompt.2.content", "third"),
		strAttr("gen_ai.prompt.0.role", "system"),
		strAttr("gen_ai.prompt.2.role", "user"),
		strAttr("gen_ai.prompt.0.content", "first"),
		strAttr("gen_ai.prompt.10.role", "assistant"),
	)
	require.Equal(t, []Message{
		{Role: "user", Content: "third"},
		{Role: "system", Content: "first"},
		{Role: "assistant"},
	}, c.Messages)
}

// The server finds indexes in any key starting with the prefix, and reads
// them with parseInt.
func TestReadCallsIndexQuirks(t *testing.T) {
	c := readOne(t,
		strAttr("gen_ai.prompts.1.x", "puts 1 first"),
		strAttr("gen_ai.prompt_tokens", "no index"),
		strAttr("gen_ai.prompt.0.role", "system"),
		strAttr("gen_ai.prompt.1.role", "user"),
		strAttr("gen_ai.prompt.2abc.role", "read as 2, looked up as 2"),
	)
	require.Equal(t, []Message{{Role: "user"}, {Role: "system"}}, c.Messages)
}

func TestReadCallsIndexNeedsRole(t *testing.T) {
	c := readOne(t,
		strAttr("gen_ai.prompt.0.content", "no role, dropped"),
		strAttr("gen_ai.prompt.1.role", "user"),
		strAttr("gen_ai.prompt.1.content", "kept"),
		strAttr("gen_ai.completion.0.content", "no role, dropped"),
		strAttr("gen_ai.completion.0.finish_reason", "stop"),
		strAttr("gen_ai.completion.1.role", "assistant"),
	)
	require.Equal(t, []Message{{Role: "user", Content: "kept"}}, c.Messages)
	require.Equal(t, []Choice{{Index: 1, Role: "assistant"}}, c.Choices)
}

// A .role key sent without a value still makes the index count, as the
// server's Map.has does.
func TestReadCallsRoleWithoutValueCounts(t *testing.T) {
	c := readOne(t, `{"key":"gen_ai.prompt.0.role","value":{}}`, strAttr("gen_ai.prompt.0.content", "x"))
	require.Equal(t, []Message{{Content: "x"}}, c.Messages)
}

func TestReadCallsLastValueWinsFirstPositionStays(t *testing.T) {
	c := readOne(t,
		strAttr("gen_ai.prompt.1.role", "user"),
		strAttr("gen_ai.prompt.0.role", "system"),
		strAttr("gen_ai.response.model", "first"),
		strAttr("gen_ai.response.model", "last"),
		strAttr("gen_ai.prompt.1.role", "assistant"),
	)
	require.Equal(t, "last", c.Model)
	require.Equal(t, []Message{{Role: "assistant"}, {Role: "system"}}, c.Messages)
}

func TestReadCallsStringValueElseIntValue(t *testing.T) {
	c := readOne(t,
		`{"key":"gen_ai.response.model","value":{"stringValue":"s","intValue":1}}`,
		`{"key":"llm.request.type","value":{"intValue":7}}`,
		`{"key":"gen_ai.usage.prompt_tokens","value":{"stringValue":"12"}}`,
		`{"key":"gen_ai.usage.completion_tokens","value":{"intValue":5.0}}`,
		`{"key":"llm.usage.total_tokens","value":{"intValue":1.5}}`,
	)
	require.Equal(t, "s", c.Model)
	require.Equal(t, "7", c.RequestType)
	require.Nil(t, c.PromptTokens, "a stringValue is not a token count")
	require.Equal(t, ptr(5), c.CompletionTokens)
	require.Nil(t, c.TotalTokens, "not a whole number")
}

func TestReadCallsUserFallsBackToLLMUser(t *testing.T) {
	require.Equal(t, "u-2", readOne(t, strAttr("llm.user", "u-2")).UserID)
}

func TestReadCallsIgnoresAllButSpanAttributes(t *testing.T) {
	b := []byte(`{"resourceSpans":[{"resource":{"attributes":[{"key":"gen_ai.system","value":{"stringValue":"openai"}}],"droppedAttributesCount":0},` +
		`"scopeSpans":[{"scope":{"name":"gen_ai.system","version":""},"spans":[` + span("t", "s") + `]}]}]}`)
	calls, err := ReadCalls(b)
	require.NoError(t, err)
	require.Len(t, calls, 1)
	require.Empty(t, calls[0].Provider)
}

func TestReadCallsEverySpanInBodyOrder(t *testing.T) {
	b := []byte(`{"resourceSpans":[` +
		`{"resource":{"attributes":[],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"a","version":""},"spans":[` + span("t", "1") + `,` + span("t", "2") + `]}]},` +
		`{"resource":{"attributes":[],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"b","version":""},"spans":[]},{"scope":{"name":"c","version":""},"spans":[` + span("t", "3") + `]}]}]}`)
	calls, err := ReadCalls(b)
	require.NoError(t, err)
	var ids []string
	for _, c := range calls {
		ids = append(ids, c.SpanID)
	}
	require.Equal(t, []string{"1", "2", "3"}, ids)
}

func TestReadCallsErrors(t *testing.T) {
	_, err := ReadCalls([]byte(`{`))
	require.ErrorIs(t, err, ErrInvalidJSON)
	var verr *ValidationError
	_, err = ReadCalls(withSpan(t, func(s map[string]any) { s["parentSpanId"] = "p" }))
	require.ErrorAs(t, err, &verr)
}

// A span whose gen_ai.system is a number makes the parser throw: the spans
// before it are logged, it and the rest are not.
func TestReadCallsSpanErrorKeepsThePrefix(t *testing.T) {
	calls, err := ReadCalls(body(
		span("t", "1", strAttr("gen_ai.system", "openai")),
		span("t", "2", intAttr("gen_ai.system", 3)),
		span("t", "3", strAttr("gen_ai.system", "openai")),
	))
	var serr *SpanError
	require.ErrorAs(t, err, &serr)
	require.Equal(t, SpanError{Index: 1, Key: "gen_ai.system", Err: serr.Err}, *serr)
	require.Len(t, calls, 1)
	require.Equal(t, "1", calls[0].SpanID)
}

// A time that is not a number is no exception: the server logs the span
// with invalid dates (null) and a NaN delay.
func TestReadCallsTimeNotANumber(t *testing.T) {
	calls, err := ReadCalls(withSpan(t, func(s map[string]any) { s["endTimeUnixNano"] = "soon" }))
	require.NoError(t, err)
	require.Len(t, calls, 1)
	require.True(t, calls[0].End.IsZero())
	b, err := json.Marshal(calls[0].Log)
	require.NoError(t, err)
	require.Contains(t, string(b), `"responseCreatedAt":null,"delayMs":null`)
}
