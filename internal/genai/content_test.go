// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// contentSpan is a hand-made span: its attributes, and span events by name.
type contentSpan struct {
	attrs  map[string]any
	events []contentEvent
}

type contentEvent struct {
	name  string
	attrs map[string]any
}

// mapContent maps one span and returns what Map adds, by key.
func mapContent(t *testing.T, s contentSpan) map[string]Attr {
	t.Helper()
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	require.NoError(t, span.Attributes().FromRaw(s.attrs))
	for _, e := range s.events {
		ev := span.Events().AppendEmpty()
		ev.SetName(e.name)
		require.NoError(t, ev.Attributes().FromRaw(e.attrs))
	}
	added := NewMapper(Settings{MaxContent: 1 << 20}).Map(td)
	require.Len(t, added.Spans, 1)
	out := map[string]Attr{}
	for _, a := range added.Spans[0] {
		out[a.Key] = a
	}
	return out
}

// contents is the role and content of each message Map added, "role: content".
func contents(added map[string]Attr, group int) []string {
	var out []string
	for n := 0; ; n++ {
		role, ok := added[messageKey(group, n, msgRole)]
		content := added[messageKey(group, n, msgContent)]
		if !ok && content.Key == "" {
			return out
		}
		out = append(out, role.Str+": "+content.Str)
	}
}

// FuzzContentSources feeds any text to every content source this package rewrites or
// parses: it never panics, and what it adds is valid UTF-8 within the cap.
func FuzzContentSources(f *testing.F) {
	for _, seed := range []string{
		`[{"type":"text","text":"Hi"},{"type":"tool_use","id":"t","name":"f","input":{}}]`,
		`[{"toolResult":{"toolUseId":"t","content":[{"json":{"a":1}}]}},{"image":{"format":"png","source":{"bytes":"AA"}}}]`,
		`[{"functionCall":{"name":"f","args":{}}},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]`,
		`{"model":"m","system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":"x"}],"input":["a"]}`,
		`{"message":{"role":"assistant","content":"x"},"usage":{"prompt_tokens":1}}`,
		`[{"event.name":"gen_ai.choice","message":{"content":"x"}}]`, `"plain"`, `[1,"a",null,{}]`, `[{`, ``, `null`,
	} {
		f.Add(seed)
	}
	const maxContent = 256
	m := NewMapper(Settings{MaxContent: maxContent})
	f.Fuzz(func(t *testing.T, s string) {
		td := ptrace.NewTraces()
		spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
		own := spans.AppendEmpty().Attributes()
		own.PutStr("gen_ai.prompt.0.role", "user")
		own.PutStr("gen_ai.prompt.0.content", s)
		own.PutStr("gen_ai.prompt.1.tool_calls.0.arguments", s)
		own.PutStr("gen_ai.completion.0.role", "assistant")
		own.PutStr("gen_ai.completion.0.content", s)
		lf := spans.AppendEmpty()
		lf.Attributes().PutStr("logfire.msg_template", "Embedding Creation with 'm'")
		for _, key := range []string{"request_data", "response_data", "events", "inputs"} {
			lf.Attributes().PutStr(key, s)
		}
		for _, key := range []string{"content", "message"} {
			ev := lf.Events().AppendEmpty()
			ev.SetName("gen_ai.choice")
			ev.Attributes().PutStr(key, s)
		}
		for i, added := range m.Map(td).Spans {
			for _, a := range added {
				require.True(t, utf8.ValidString(a.Str) || !utf8.ValidString(s), "span %d %s", i, a.Key)
				require.LessOrEqual(t, len(a.Str), maxContent+64, "span %d %s", i, a.Key)
			}
		}
	})
}
