// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// agentRun is a Strands-like run: an HTTP handler, the agent, a tool that calls the
// model, and a call of the agent's own; extra attributes go on both calls.
func agentRun(t *testing.T, callAttrs map[string]any) ptrace.Traces {
	t.Helper()
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	trace := pcommon.TraceID{1, 2, 3}
	add := func(id, parent byte, name string, attrs map[string]any) {
		span := spans.AppendEmpty()
		span.SetTraceID(trace)
		span.SetSpanID(pcommon.SpanID{id})
		if parent != 0 {
			span.SetParentSpanID(pcommon.SpanID{parent})
		}
		span.SetName(name)
		require.NoError(t, span.Attributes().FromRaw(attrs))
	}
	call := func(extra map[string]any) map[string]any {
		attrs := map[string]any{"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o-mini"}
		for k, v := range extra {
			attrs[k] = v
		}
		return attrs
	}
	// children first, as a batch often has them
	add(4, 3, "chat", call(callAttrs))
	add(5, 2, "chat", call(callAttrs))
	add(3, 2, "execute_tool get_weather", map[string]any{"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather"})
	add(2, 1, "invoke_agent weather_agent", map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather_agent", "gen_ai.request.model": "gpt-4o-mini"})
	add(1, 0, "POST /weather", map[string]any{"http.request.method": "POST"})
	return td
}

// sessionsOf selects and maps td and returns the session keys of each call sent.
func sessionsOf(t *testing.T, td ptrace.Traces, selectorSessions bool, s Settings) []map[string]string {
	t.Helper()
	NewSelector(false, nil, selectorSessions).Select(td)
	added := NewMapper(s).Map(td)
	var out []map[string]string
	for _, attrs := range added.Spans {
		got := map[string]string{}
		for _, a := range attrs {
			switch a.Key {
			case keySession, keySessionPath, keySessionName:
				got[a.Key] = a.Str
			}
		}
		out = append(out, got)
	}
	return out
}

func TestAgentRunIsOneSession(t *testing.T) {
	on := Settings{Sessions: true}
	trace := pcommon.TraceID{1, 2, 3}.String()
	t.Run("id from the trace, path of the agents and tools", func(t *testing.T) {
		got := sessionsOf(t, agentRun(t, nil), true, on)
		assert.Equal(t, []map[string]string{
			{keySession: trace, keySessionPath: "/weather_agent/get_weather/chat", keySessionName: "weather_agent"},
			{keySession: trace, keySessionPath: "/weather_agent/chat", keySessionName: "weather_agent"},
		}, got)
	})
	t.Run("id from the conversation", func(t *testing.T) {
		got := sessionsOf(t, agentRun(t, map[string]any{"gen_ai.conversation.id": "conv-1"}), true, on)
		assert.Equal(t, "conv-1", got[0][keySession])
		assert.Equal(t, "/weather_agent/get_weather/chat", got[0][keySessionPath])
	})
	t.Run("id from the trace when asked", func(t *testing.T) {
		got := sessionsOf(t, agentRun(t, map[string]any{"session.id": "s-1"}), true, Settings{Sessions: true, SessionIDFromTrace: true})
		assert.Equal(t, trace, got[0][keySession])
	})
	t.Run("the user's session wins", func(t *testing.T) {
		got := sessionsOf(t, agentRun(t, map[string]any{keySession: "mine"}), true, on)
		assert.Empty(t, got[0], "nothing added: the span has its own")
		got = sessionsOf(t, agentRun(t, map[string]any{"traceloop.association.properties.sessionId": "meta"}), true, on)
		assert.Equal(t, map[string]string{keySession: "meta"}, got[0])
	})
	t.Run("off", func(t *testing.T) {
		td := agentRun(t, map[string]any{"session.id": "s-1"})
		got := sessionsOf(t, td, false, Settings{})
		assert.Equal(t, map[string]string{keySession: "s-1"}, got[0], "session.id is still the session")
		_, annotated := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Get(KeyAncestors)
		assert.False(t, annotated, "the selector adds nothing when sessions are off")
	})
	t.Run("ancestors in another batch: what the call carries", func(t *testing.T) {
		td := agentRun(t, map[string]any{"gen_ai.agent.name": "weather_agent"})
		spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
		spans.RemoveIf(func(s ptrace.Span) bool { return s.Name() != "chat" })
		got := sessionsOf(t, td, true, on)
		assert.Equal(t, map[string]string{keySession: trace, keySessionPath: "/weather_agent/chat", keySessionName: "weather_agent"}, got[0])
	})
	t.Run("openllmetry workflow carried by the call", func(t *testing.T) {
		got := mappedAttrs(t, on, map[string]any{
			"llm.request.type": "chat", "traceloop.workflow.name": "joke", "traceloop.entity.path": "pick.write",
		}, nil)
		assert.Equal(t, "/joke/pick/write/chat", got[keySessionPath].Str)
		assert.Equal(t, "joke", got[keySessionName].Str)
	})
	t.Run("a call outside any agent run has no session", func(t *testing.T) {
		got := mappedAttrs(t, on, map[string]any{"gen_ai.operation.name": "chat"}, nil)
		assert.NotContains(t, got, keySession)
		assert.NotContains(t, got, keySessionPath)
	})
}

func TestSegmentOf(t *testing.T) {
	for _, tc := range []struct {
		name    string
		attrs   map[string]any
		seg     string
		isAgent bool
	}{
		{"invoke_agent", map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "a"}, "a", true},
		{"openinference agent", map[string]any{"openinference.span.kind": "AGENT"}, "span", true},
		{"openinference handoff", map[string]any{"openinference.span.kind": "TOOL", "tool.name": "transfer/x"}, "transfer_x", false},
		{"openinference chain", map[string]any{"openinference.span.kind": "CHAIN"}, "", false},
		{"traceloop workflow", map[string]any{"traceloop.span.kind": "workflow", "traceloop.entity.name": "wf"}, "wf", true},
		{"vercel tool", map[string]any{"ai.operationId": "ai.toolCall", "ai.toolCall.name": "t"}, "t", false},
		{"strands cycle", map[string]any{"gen_ai.operation.name": "execute_event_loop_cycle"}, "", false},
		{"a chat naming its agent", map[string]any{"gen_ai.operation.name": "chat", "gen_ai.agent.name": "a"}, "", false},
		{"http", map[string]any{"http.request.method": "GET"}, "", false},
	} {
		span := ptrace.NewSpan()
		span.SetName("span")
		require.NoError(t, span.Attributes().FromRaw(tc.attrs))
		seg, isAgent := segmentOf(span)
		assert.Equal(t, tc.seg, seg, tc.name)
		assert.Equal(t, tc.isAgent, isAgent, tc.name)
	}
}

// A parent cycle (a malformed batch) ends the walk up the ancestors.
func TestAnnotateStopsAtAParentCycle(t *testing.T) {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	for _, s := range []struct {
		id, parent byte
		attrs      map[string]any
	}{
		{1, 2, map[string]any{"gen_ai.operation.name": "chat"}},
		{2, 3, map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "a"}},
		{3, 2, map[string]any{"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t"}},
	} {
		span := spans.AppendEmpty()
		span.SetTraceID(pcommon.TraceID{9})
		span.SetSpanID(pcommon.SpanID{s.id})
		span.SetParentSpanID(pcommon.SpanID{s.parent})
		require.NoError(t, span.Attributes().FromRaw(s.attrs))
	}
	NewSelector(false, nil, true).Select(td)
	require.Equal(t, 1, td.SpanCount())
	path, ok := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Get(KeyAncestors)
	require.True(t, ok)
	assert.Equal(t, maxDepth, strings.Count(path.Str(), "/"), "the walk is bounded")
}
