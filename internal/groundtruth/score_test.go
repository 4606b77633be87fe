package groundtruth

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// suiteFixture is one suite read from the fixtures, with what really arrived.
type suiteFixture struct {
	calls   []RecordedCall
	offset  int64
	td      ptrace.Traces
	arrived []helicone.Call
}

func loadSuite(t *testing.T, suite string) suiteFixture {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtureDir, "calls.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	rec, err := ReadRecord(f)
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(fixtureDir, suite+".traces.json"))
	require.NoError(t, err)
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
	require.NoError(t, err)
	sent := ptrace.NewTraces()
	td.CopyTo(sent)
	arrived, err := Export(context.Background(), sent)
	require.NoError(t, err)
	return suiteFixture{calls: rec.Calls[suite], offset: rec.Offsets[suite], td: td, arrived: arrived}
}

// The judge must see what a user would: a span logged twice, a span lost, a
// span that is no call, and a failure that is or is not marked.
func TestScoreSeesWhatAUserWouldSee(t *testing.T) {
	fx := loadSuite(t, "vercel")
	clean := Score("vercel", fx.calls, fx.offset, fx.td, fx.arrived)
	require.Equal(t, 7, clean.Calls)
	require.Equal(t, 7, clean.Recorded, "every vercel call has a span, the embedding's despite clock drift")
	require.Zero(t, clean.Duplicates)
	require.Empty(t, clean.NonLLM)

	t.Run("duplicate", func(t *testing.T) {
		res := Score("vercel", fx.calls, fx.offset, fx.td, append(fx.arrived, fx.arrived[0]))
		assert.Equal(t, 1, res.Duplicates)
		assert.Equal(t, clean.Passed[CheckOnce]-1, res.Passed[CheckOnce])
	})
	t.Run("lost", func(t *testing.T) {
		res := Score("vercel", fx.calls, fx.offset, fx.td, fx.arrived[1:])
		assert.Equal(t, clean.Arrived-1, res.Arrived)
		assert.Equal(t, clean.Passed[CheckOnce]-1, res.Passed[CheckOnce])
		assert.Less(t, res.Passed[CheckModel], clean.Passed[CheckModel], "a lost call fails its other checks too")
	})
	t.Run("not a call", func(t *testing.T) {
		extra := helicone.Call{SpanName: "handle /chat", TraceID: "00", SpanID: "01"}
		res := Score("vercel", fx.calls, fx.offset, fx.td, append(fx.arrived, extra))
		assert.Equal(t, []string{"handle /chat (span 01)"}, res.NonLLM)
	})
	t.Run("failure marked", func(t *testing.T) {
		require.Equal(t, 1, clean.Applied[CheckFailure])
		require.Equal(t, 1, clean.Passed[CheckFailure], "the exporter marks the failed call")
		unmarked := unmarkFailures(fx.arrived, fx.calls, fx.offset, fx.td)
		res := Score("vercel", fx.calls, fx.offset, fx.td, unmarked)
		assert.Zero(t, res.Passed[CheckFailure], "a failed call that looks like a success fails the check")
	})
	t.Run("raw JSON response", func(t *testing.T) {
		raw := make([]helicone.Call, len(fx.arrived))
		copy(raw, fx.arrived)
		for i, c := range raw {
			if len(c.Choices) > 0 && c.Choices[0].Content != "" {
				c.Choices = []helicone.Choice{{Role: "assistant", Content: `[{"type":"text","text":` + quote(c.Choices[0].Content) + `}]`}}
				raw[i] = c
			}
		}
		res := Score("vercel", fx.calls, fx.offset, fx.td, raw)
		assert.Zero(t, res.Passed[CheckResponse])
	})
}

// unmarkFailures makes each arrived span of a failed call look like a success:
// no properties and an empty response, as Helicone logged them before issue 11.
func unmarkFailures(arrived []helicone.Call, calls []RecordedCall, offset int64, td ptrace.Traces) []helicone.Call {
	failed := map[string]bool{}
	for _, m := range matchSpans(calls, offset, td) {
		if m.ok && m.call.Failed() {
			failed[m.span.SpanID().String()] = true
		}
	}
	out := make([]helicone.Call, len(arrived))
	for i, c := range arrived {
		if failed[c.SpanID] {
			c.Properties, c.Choices = nil, nil
		}
		out[i] = c
	}
	return out
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func TestShows(t *testing.T) {
	for _, tc := range []struct {
		got, want string
		ok        bool
	}{
		{"Hello there.", "Hello there.", true},
		{"Let me look that up.\n[tool_call get_weather id=1] {}", "Let me look that up. ", true},
		{`{"city":"Paris","t":18.5}`, `{"city": "Paris", "t": 18.5}`, true},
		{"anything", "", true},
		{`[{"type":"text","text":"Hello there."}]`, "Hello there.", false},
		{"[tool_call get_weather id=call_1] {\"city\":\"Paris\"}", `get_weather({"city": "Paris"})`, true},
		{"[tool_call get_weather id=call_1] ", `get_weather({"city": "Paris"})`, false},
		{"[tool_call transfer_to_weather_agent id=call_1] ", `transfer_to_weather_agent({})`, true},
		{"[tool_call get_weather id=call_1] ", `transfer_to_weather_agent({})`, false},
		{"Goodbye.", "Hello there.", false},
	} {
		assert.Equal(t, tc.ok, shows(tc.got, tc.want), "shows(%q, %q)", tc.got, tc.want)
	}
}

func TestReadRecord(t *testing.T) {
	in := strings.Join([]string{
		`{"suite":"a","api":"openai.chat","model":"m","status":200,"t_start_ns":"1795962678464361543","t_end_ns":1795962678494144107,"messages":[{"role":"user","text":"hi"}],"prompt_tokens":3,"completion_tokens":null,"response_id":null}`,
		``,
		`{"kind":"clock","suite":"a","offset_ns":"948730"}`,
	}, "\n")
	rec, err := ReadRecord(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, rec.Calls["a"], 1)
	c := rec.Calls["a"][0]
	assert.Equal(t, nanos(1795962678464361543), c.Start, "a string time keeps every digit")
	assert.Equal(t, nanos(1795962678494144107), c.End, "a number time keeps every digit")
	assert.Equal(t, int64(3), *c.PromptTokens)
	assert.Nil(t, c.CompletionTokens)
	assert.Equal(t, 1, c.Line)
	assert.Equal(t, int64(948730), rec.Offsets["a"])

	_, err = ReadRecord(strings.NewReader(`{"suite":"a","t_start_ns":"1.5e9"}`))
	assert.ErrorContains(t, err, "line 1")
	_, err = ReadRecord(strings.NewReader(`{"api":"openai.chat"}`))
	assert.ErrorContains(t, err, "no suite")
}
