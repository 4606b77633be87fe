package logjoin

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func TestToSpanEvent(t *testing.T) {
	ld := logs(
		record{span: 1, name: EventDetails, at: 5, attrs: map[string]any{
			"gen_ai.operation.name":      "chat",
			"gen_ai.input.messages":      []any{map[string]any{"role": "user", "parts": []any{map[string]any{"type": "text", "content": "hi"}}}},
			"gen_ai.system_instructions": `[{"type":"text","content":"be terse"}]`,
		}},
		record{span: 1, name: EventToolMessage, body: map[string]any{"content": "18C", "id": "call_1"}, nameInKey: true, at: 6},
		record{span: 1, name: EventUserMessage, body: "plain text", at: 0},
	)
	recs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	recs.At(2).SetObservedTimestamp(7)

	ev := ptrace.NewSpanEvent()
	ToSpanEvent(recs.At(0), ev)
	assert.Equal(t, EventDetails, ev.Name())
	assert.Equal(t, pcommon.Timestamp(5), ev.Timestamp())
	assert.Equal(t, map[string]any{
		"gen_ai.operation.name":      "chat",
		"gen_ai.input.messages":      `[{"parts":[{"content":"hi","type":"text"}],"role":"user"}]`,
		"gen_ai.system_instructions": `[{"type":"text","content":"be terse"}]`,
	}, ev.Attributes().AsRaw(), "structured messages become the JSON a span carries; JSON already is kept")

	ev = ptrace.NewSpanEvent()
	ToSpanEvent(recs.At(1), ev)
	assert.Equal(t, EventToolMessage, ev.Name())
	assert.Equal(t, map[string]any{"gen_ai.event.content": `{"content":"18C","id":"call_1"}`}, ev.Attributes().AsRaw(), "event.name is not copied")

	ev = ptrace.NewSpanEvent()
	ToSpanEvent(recs.At(2), ev)
	assert.Equal(t, pcommon.Timestamp(7), ev.Timestamp(), "observed time when the record has none")
	assert.Equal(t, map[string]any{"content": "plain text"}, ev.Attributes().AsRaw())
}

func TestToSpanEventDetailsInBody(t *testing.T) {
	ld := logs(record{span: 1, name: EventDetails, body: map[string]any{
		"gen_ai.output.messages": []any{map[string]any{"role": "assistant", "parts": []any{}, "finish_reason": "stop"}},
	}})
	ev := ptrace.NewSpanEvent()
	ToSpanEvent(ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0), ev)
	v, ok := ev.Attributes().Get("gen_ai.output.messages")
	require.True(t, ok)
	assert.Equal(t, `[{"finish_reason":"stop","parts":[],"role":"assistant"}]`, v.Str())
}
