package llmspans

import (
	"context"
	"slices"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Request is one traced request to an LLM-backed service: an HTTP server span
// whose children are the steps, run one after the other.
type Request struct {
	Method string // default POST
	Route  string
	Steps  []Step
}

// Step is one child of the handler span: exactly one of its fields is set.
type Step struct {
	Query *Query
	Chat  *Chat
}

// Query is one database call.
type Query struct {
	System     string // db.system.name, e.g. postgresql
	Namespace  string
	Operation  string // SELECT, INSERT...
	Collection string
	Text       string
	Latency    time.Duration
}

// Kind tells what a span is, as the tests need to know it.
type Kind string

const (
	KindHTTP Kind = "http"
	KindDB   Kind = "db"
	KindLLM  Kind = "llm"
)

// Emitted is one span Emit ended: its ids as Helicone sees them (lower-case
// hex) and, for an LLM call, the chat it records.
type Emitted struct {
	Kind    Kind
	Name    string
	TraceID string
	SpanID  string
	Chat    *Chat // KindLLM only
}

// Tracer scope names for the non-LLM spans.
const (
	ScopeHTTP = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	ScopeDB   = "github.com/XSAM/otelsql"
)

// gap is the time between one step's end and the next one's start.
const gap = 2 * time.Millisecond

// Emit records r as one trace through tp and returns its spans in the order
// they ended (children first, the handler last). Span times are set
// explicitly so that the trace ends now with realistic durations, without
// waiting for them.
func Emit(ctx context.Context, tp trace.TracerProvider, r Request) []Emitted {
	end := time.Now()
	start := end.Add(-r.Duration())
	method := r.Method
	if method == "" {
		method = "POST"
	}

	httpTracer := tp.Tracer(ScopeHTTP)
	ctx, handler := httpTracer.Start(ctx, method+" "+r.Route,
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.String("http.request.method", method),
			attribute.String("http.route", r.Route),
			attribute.String("url.path", r.Route),
			attribute.String("url.scheme", "http"),
			attribute.String("server.address", "chat-api.internal"),
			attribute.Int("server.port", 8080),
			attribute.String("user_agent.original", "llmtracegen/1.0"),
		))

	var out []Emitted
	at := start.Add(gap)
	for _, s := range r.Steps {
		switch {
		case s.Query != nil:
			out = append(out, emitQuery(ctx, tp, at, *s.Query))
			at = at.Add(s.Query.Latency + gap)
		case s.Chat != nil:
			out = append(out, emitChat(ctx, tp, at, *s.Chat))
			at = at.Add(s.Chat.Latency + gap)
		}
	}

	handler.SetAttributes(attribute.Int("http.response.status_code", 200))
	handler.End(trace.WithTimestamp(end))
	return append(out, emitted(KindHTTP, method+" "+r.Route, handler, nil))
}

// Duration is the handler span's duration: its steps and the gaps around them.
func (r Request) Duration() time.Duration {
	d := gap
	for _, s := range r.Steps {
		switch {
		case s.Query != nil:
			d += s.Query.Latency + gap
		case s.Chat != nil:
			d += s.Chat.Latency + gap
		}
	}
	return d
}

// Chats are the request's LLM calls.
func (r Request) Chats() []Chat {
	var out []Chat
	for _, s := range r.Steps {
		if s.Chat != nil {
			out = append(out, *s.Chat)
		}
	}
	return out
}

func emitQuery(ctx context.Context, tp trace.TracerProvider, start time.Time, q Query) Emitted {
	name := q.Operation + " " + q.Namespace + "." + q.Collection
	_, span := tp.Tracer(ScopeDB).Start(ctx, name,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.String("db.system.name", q.System),
			attribute.String("db.namespace", q.Namespace),
			attribute.String("db.operation.name", q.Operation),
			attribute.String("db.collection.name", q.Collection),
			attribute.String("db.query.text", q.Text),
			attribute.String("server.address", "db.internal"),
			attribute.Int("server.port", 5432),
		))
	span.End(trace.WithTimestamp(start.Add(q.Latency)))
	return emitted(KindDB, name, span, nil)
}

func emitChat(ctx context.Context, tp trace.TracerProvider, start time.Time, c Chat) Emitted {
	_, span := tp.Tracer(c.Instrumentation()).Start(ctx, c.SpanName(),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(start),
		trace.WithAttributes(c.Attributes()...))
	span.SetStatus(codes.Ok, "")
	span.End(trace.WithTimestamp(start.Add(c.Latency)))
	return emitted(KindLLM, c.SpanName(), span, &c)
}

func emitted(kind Kind, name string, span trace.Span, c *Chat) Emitted {
	sc := span.SpanContext()
	return Emitted{Kind: kind, Name: name, TraceID: sc.TraceID().String(), SpanID: sc.SpanID().String(), Chat: c}
}

func itoa(i int) string { return strconv.Itoa(i) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
