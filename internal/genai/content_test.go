// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

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
