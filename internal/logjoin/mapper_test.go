package logjoin_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/groundtruth"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/logjoin"
)

// Joined records reach Helicone through the real exporter as messages and a
// response: the events are in the shape its span-event mapper reads.
func TestJoinedRecordsReachHelicone(t *testing.T) {
	for name, recs := range map[string][]map[string]any{
		// opentelemetry-instrumentation-openai-v2, semconv up to 1.36: one record per message.
		"message events": {
			{"event": logjoin.EventSystemMessage, "body": map[string]any{"content": "Be terse."}},
			{"event": logjoin.EventUserMessage, "body": map[string]any{"content": "Weather in Paris?"}},
			{"event": logjoin.EventAssistantMessage, "body": map[string]any{"tool_calls": []any{map[string]any{
				"id": "call_1", "type": "function", "function": map[string]any{"name": "get_weather", "arguments": `{"city":"Paris"}`}}}}},
			{"event": logjoin.EventToolMessage, "body": map[string]any{"content": "18C and sunny", "id": "call_1"}},
			{"event": logjoin.EventChoice, "body": map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": "It is 18C and sunny."}}},
		},
		// opentelemetry-util-genai, semconv 1.37+: one details record, structured attributes.
		"details event": {
			{"event": logjoin.EventDetails, "attrs": map[string]any{
				"gen_ai.system_instructions": []any{map[string]any{"type": "text", "content": "Be terse."}},
				"gen_ai.input.messages": []any{
					map[string]any{"role": "user", "parts": []any{map[string]any{"type": "text", "content": "Weather in Paris?"}}},
					map[string]any{"role": "assistant", "parts": []any{map[string]any{"type": "tool_call", "id": "call_1", "name": "get_weather", "arguments": map[string]any{"city": "Paris"}}}},
					map[string]any{"role": "tool", "parts": []any{map[string]any{"type": "tool_call_response", "id": "call_1", "response": "18C and sunny"}}},
				},
				"gen_ai.output.messages": []any{map[string]any{"role": "assistant", "finish_reason": "stop",
					"parts": []any{map[string]any{"type": "text", "content": "It is 18C and sunny."}}}},
			}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			j, err := logjoin.New(logjoin.DefaultConfig(), nil)
			require.NoError(t, err)
			tid, sid := pcommon.TraceID{7}, pcommon.SpanID{7}
			require.Zero(t, j.AddTraces(chatSpan(tid, sid)).SpanCount(), "the span waits for its content")
			out := j.AddLogs(records(t, tid, sid, recs))
			require.Equal(t, 1, out.SpanCount(), "the response completes the call")

			calls, err := groundtruth.Export(context.Background(), out)
			require.NoError(t, err)
			require.Len(t, calls, 1)
			c := calls[0]
			require.Len(t, c.Messages, 4)
			assert.Equal(t, helicone.Message{Role: "system", Content: "Be terse."}, c.Messages[0])
			assert.Equal(t, helicone.Message{Role: "user", Content: "Weather in Paris?"}, c.Messages[1])
			assert.Equal(t, "assistant", c.Messages[2].Role)
			assert.Contains(t, c.Messages[2].Content, "get_weather")
			assert.Equal(t, helicone.Message{Role: "tool", Content: "18C and sunny"}, c.Messages[3])
			require.Len(t, c.Choices, 1)
			assert.Equal(t, "It is 18C and sunny.", c.Choices[0].Content)
			assert.Equal(t, "stop", c.Choices[0].FinishReason)
		})
	}
}

func chatSpan(tid pcommon.TraceID, sid pcommon.SpanID) ptrace.Traces {
	td := ptrace.NewTraces()
	s := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	s.SetTraceID(tid)
	s.SetSpanID(sid)
	s.SetName("chat gpt-4o-mini")
	now := time.Now()
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(now))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(now.Add(time.Second)))
	s.Attributes().PutStr("gen_ai.operation.name", "chat")
	s.Attributes().PutStr("gen_ai.system", "openai")
	s.Attributes().PutStr("gen_ai.request.model", "gpt-4o-mini")
	return td
}

func records(t *testing.T, tid pcommon.TraceID, sid pcommon.SpanID, recs []map[string]any) plog.Logs {
	ld := plog.NewLogs()
	sl := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty()
	for i, r := range recs {
		lr := sl.LogRecords().AppendEmpty()
		lr.SetTraceID(tid)
		lr.SetSpanID(sid)
		lr.SetEventName(r["event"].(string))
		lr.SetTimestamp(pcommon.Timestamp(i + 1))
		if body, ok := r["body"]; ok {
			require.NoError(t, lr.Body().FromRaw(body))
		}
		if attrs, ok := r["attrs"].(map[string]any); ok {
			require.NoError(t, lr.Attributes().FromRaw(attrs))
		}
	}
	return ld
}
