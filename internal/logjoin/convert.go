package logjoin

import (
	"encoding/json"
	"sort"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// The span-event shape the exporter's mapper reads (internal/genai's
// semconv.go), which is how instrumentations that put events on the
// span write them:
//
//	gen_ai.{system,user,assistant,tool}.message  gen_ai.event.content: the body as a JSON
//	gen_ai.choice                                message ({content, tool_calls, id, role} /
//	                                             {index, finish_reason, message}); a body
//	                                             that is a plain string becomes `content`
//	gen_ai.client.inference.operation.details    gen_ai.input.messages, gen_ai.output.messages,
//	                                             gen_ai.system_instructions as JSON strings
//	gen_ai.content.prompt / .completion          gen_ai.prompt / gen_ai.completion as sent
//
// As log records, the details event carries the messages as structured
// attribute values (arrays of maps) rather than the JSON strings a span holds,
// and the message events carry their message in the body (OpenTelemetry
// Python's opentelemetry-instrumentation-openai-v2 and opentelemetry-util-genai).
const attrEventContent = "gen_ai.event.content"

// messageAttrs are the details event's attributes that hold messages.
var messageAttrs = []string{"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions"}

// ToSpanEvent writes rec into ev as the span event the mapper reads: its
// name, its time (observed time when the record has none), its attributes
// but event.name, and its body where the mapper looks for it.
func ToSpanEvent(rec plog.LogRecord, ev ptrace.SpanEvent) {
	name := EventName(rec)
	ev.SetName(name)
	ev.SetTimestamp(recordTime(rec))
	attrs := ev.Attributes()
	attrs.EnsureCapacity(rec.Attributes().Len() + 1)
	for k, v := range rec.Attributes().All() {
		if k != "event.name" {
			v.CopyTo(attrs.PutEmpty(k))
		}
	}
	body := rec.Body()
	if name == EventDetails {
		// Some emitters put the message attributes in a map body instead.
		if body.Type() == pcommon.ValueTypeMap {
			for k, v := range body.Map().All() {
				if _, ok := attrs.Get(k); !ok {
					v.CopyTo(attrs.PutEmpty(k))
				}
			}
		}
		for _, k := range messageAttrs {
			if v, ok := attrs.Get(k); ok && v.Type() != pcommon.ValueTypeStr {
				attrs.PutStr(k, jsonOf(v))
			}
		}
		return
	}
	switch body.Type() {
	case pcommon.ValueTypeEmpty:
	case pcommon.ValueTypeStr:
		if _, ok := attrs.Get("content"); !ok {
			attrs.PutStr("content", body.Str())
		}
	default:
		if _, ok := attrs.Get(attrEventContent); !ok {
			attrs.PutStr(attrEventContent, jsonOf(body))
		}
	}
}

// AppendEvents adds recs to span as span events, in time order (records of
// one call may arrive out of order across export batches).
func AppendEvents(span ptrace.Span, recs []plog.LogRecord) {
	sorted := append([]plog.LogRecord(nil), recs...)
	sort.SliceStable(sorted, func(i, j int) bool { return recordTime(sorted[i]) < recordTime(sorted[j]) })
	events := span.Events()
	events.EnsureCapacity(events.Len() + len(sorted))
	for _, rec := range sorted {
		ToSpanEvent(rec, events.AppendEmpty())
	}
}

func recordTime(rec plog.LogRecord) pcommon.Timestamp {
	if t := rec.Timestamp(); t != 0 {
		return t
	}
	return rec.ObservedTimestamp()
}

// jsonOf is a structured value as JSON. AsRaw values always marshal (bytes
// become base64), so the error cannot happen.
func jsonOf(v pcommon.Value) string {
	b, _ := json.Marshal(v.AsRaw())
	return string(b)
}
