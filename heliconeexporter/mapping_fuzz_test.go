// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// FuzzGenAIMessages feeds arbitrary text to every JSON source of messages: the
// exporter must never fail, and the body must stay one Helicone accepts.
func FuzzGenAIMessages(f *testing.F) {
	for _, seed := range []string{
		`[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]`,
		`[{"role":"user","content":[{"type":"image","image":"AAAA","mediaType":"image/png"},{"type":"tool-result","output":{"type":"json","value":{"a":[1,2]}}}]}]`,
		`[{"role":"assistant","parts":[{"type":"tool_call","name":"f","arguments":"{\"x\":"}]}]`,
		`[{"type":"text","content":"sys"}]`, `"plain"`, `[1,"a",null,{}]`, `{"message":{"content":[]}}`, `[{`, ``, `null`,
		`[{"role":"user","parts":[{"type":"uri","uri":"data:;base64,"}]}]`,
	} {
		f.Add(seed)
	}
	cfg := createDefaultConfig().(*Config)
	cfg.MaxRequestSize = minRequestSize
	f.Fuzz(func(t *testing.T, s string) {
		td := ptrace.NewTraces()
		span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
		a := span.Attributes()
		for _, key := range []string{"gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages", "ai.response.toolCalls", "metadata", "llm.invocation_parameters"} {
			a.PutStr(key, s)
		}
		ev := span.Events().AppendEmpty()
		ev.SetName("gen_ai.choice")
		ev.Attributes().PutStr("gen_ai.event.content", s)
		vercel := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().AppendEmpty()
		vercel.Attributes().PutStr("ai.prompt.messages", s)
		vercel.Attributes().PutStr("ai.value", s)

		body, _ := encodeMapped(t, cfg, td)
		if _, err := helicone.ReadCalls(body); err != nil {
			t.Fatal(err)
		}
	})
}
