package helicone

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func printedRequest(t *testing.T) Request {
	t.Helper()
	b := body(span("t1", "s1",
		strAttr("gen_ai.system", "openai"),
		strAttr("gen_ai.response.model", "gpt-4o"),
		strAttr("gen_ai.prompt.0.role", "user"),
		strAttr("gen_ai.prompt.0.content", "line one\nline two"),
		strAttr("gen_ai.completion.0.role", "assistant"),
		strAttr("gen_ai.completion.0.content", "hello"),
		strAttr("gen_ai.completion.0.finish_reason", "stop"),
		intAttr("gen_ai.usage.prompt_tokens", 12),
		strAttr("traceloop.association.properties.Helicone-User-Id", "u-1"),
		strAttr("traceloop.association.properties.Helicone-Session-Id", "s-9"),
		strAttr("traceloop.association.properties.Helicone-Property-Team", "core"),
	), span("t1", "s2", strAttr("db.system", "postgresql")))
	calls, err := ReadCalls(b)
	require.NoError(t, err)
	header := http.Header{"Authorization": {"Bearer sk-secret"}, "Content-Encoding": {"gzip"}}
	return Request{Received: time.Now(), Header: header, WireBytes: 99, Body: b, Calls: calls}
}

func TestPrinterShowsTheCall(t *testing.T) {
	var out bytes.Buffer
	NewPrinter(&out).PrintRequest(printedRequest(t))
	got := out.String()
	for _, want := range []string{
		"2 span(s)", "(99 as gzip)",
		`call "chat": provider OPENAI, model gpt-4o, 1.5s`,
		"user u-1", "session s-9", "property Team = core",
		"> user: line one\n      line two",
		"< assistant (stop): hello",
		"tokens: prompt 12, completion -, total -, max -",
		"provider (none), model (none)", // the database span, logged all the same
	} {
		require.Contains(t, got, want)
	}
	require.NotContains(t, got, "sk-secret")
}

func TestPrinterReject(t *testing.T) {
	var out bytes.Buffer
	p := NewPrinter(&out)
	p.PrintReject(http.StatusUnprocessableEntity, "bad body")
	p.PrintReject(0, "dropped it")
	require.Equal(t, "rejected (422): bad body\nrejected (dropped): dropped it\n", out.String())
}

func TestJSONLinesOneLinePerRequest(t *testing.T) {
	var out bytes.Buffer
	j := NewJSONLines(&out)
	pretty := []byte("{\n  \"resourceSpans\": []\n}")
	require.NoError(t, j.Write(Request{Body: pretty}))
	require.NoError(t, j.Write(printedRequest(t)))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 2)
	require.Equal(t, `{"resourceSpans":[]}`, lines[0])
	require.True(t, json.Valid([]byte(lines[1])))
	require.Error(t, j.Write(Request{Body: []byte("{")}))
}
