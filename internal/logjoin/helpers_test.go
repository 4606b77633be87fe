package logjoin

import (
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_800_000_000, 0)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func ids(n byte) (pcommon.TraceID, pcommon.SpanID) {
	return pcommon.TraceID{1, n}, pcommon.SpanID{2, n}
}

// traces makes a batch of spans; each span is set up by one function.
func traces(spans ...func(ptrace.Span)) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "app")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("opentelemetry.instrumentation.openai_v2")
	for _, set := range spans {
		set(ss.Spans().AppendEmpty())
	}
	return td
}

// chatSpan is a chat span as opentelemetry-instrumentation-openai-v2 exports
// it when content goes to log records: no messages on the span.
func chatSpan(n byte) func(ptrace.Span) {
	return func(s ptrace.Span) {
		tid, sid := ids(n)
		s.SetTraceID(tid)
		s.SetSpanID(sid)
		s.SetName("chat gpt-4o-mini")
		s.Attributes().PutStr("gen_ai.operation.name", "chat")
		s.Attributes().PutStr("gen_ai.system", "openai")
		s.Attributes().PutStr("gen_ai.request.model", "gpt-4o-mini")
		s.Attributes().PutInt("gen_ai.usage.input_tokens", 12)
	}
}

func plainSpan(n byte, name string) func(ptrace.Span) {
	return func(s ptrace.Span) {
		tid, sid := ids(n)
		s.SetTraceID(tid)
		s.SetSpanID(sid)
		s.SetName(name)
		s.Attributes().PutStr("http.route", "/chat")
	}
}

// record is one log record of span n; body is a raw value (map, string).
type record struct {
	span      byte
	name      string
	body      any
	attrs     map[string]any
	at        int64
	nameInKey bool // event.name as an attribute, as SDKs wrote it before the EventName field
}

func logs(recs ...record) plog.Logs {
	ld := plog.NewLogs()
	sl := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty()
	for _, r := range recs {
		lr := sl.LogRecords().AppendEmpty()
		if r.span != 0 {
			tid, sid := ids(r.span)
			lr.SetTraceID(tid)
			lr.SetSpanID(sid)
		}
		if r.nameInKey {
			lr.Attributes().PutStr("event.name", r.name)
		} else {
			lr.SetEventName(r.name)
		}
		lr.SetTimestamp(pcommon.Timestamp(r.at))
		if r.body != nil {
			if err := lr.Body().FromRaw(r.body); err != nil {
				panic(err)
			}
		}
		if err := lr.Attributes().FromRaw(merge(r.attrs, lr.Attributes().AsRaw())); err != nil {
			panic(err)
		}
	}
	return ld
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range b {
		out[k] = v
	}
	for k, v := range a {
		out[k] = v
	}
	return out
}

func userMessage(span byte, text string, at int64) record {
	return record{span: span, name: EventUserMessage, body: map[string]any{"content": text}, attrs: map[string]any{"gen_ai.system": "openai"}, at: at}
}

func choice(span byte, text string, at int64) record {
	return record{span: span, name: EventChoice, at: at, attrs: map[string]any{"gen_ai.system": "openai"},
		body: map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": text}}}
}

// spansOf lists the names of td's spans with their event names.
func spansOf(td ptrace.Traces) map[string][]string {
	out := map[string][]string{}
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, s := range ss.Spans().All() {
				evs := []string{}
				for _, ev := range s.Events().All() {
					evs = append(evs, ev.Name())
				}
				out[s.Name()+" "+s.SpanID().String()] = evs
			}
		}
	}
	return out
}
