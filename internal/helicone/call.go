package helicone

import (
	"strconv"
	"strings"
	"time"
)

// Call is one Helicone request log: what the server makes of one span.
// Only the span's own attributes, name, ids and times are read; resource
// attributes, scope, kind, status, events and links never reach Helicone.
//
// Log is the record exactly as the server builds it; the other fields are
// typed views of the same attributes for tests. Text fields hold "" when
// the attribute is absent; an intValue reads as String(number), as the
// server's JavaScript would.
type Call struct {
	Log Log

	SpanName string
	// TraceID and SpanID are as sent. The server discards them (each log gets
	// a fresh random id); they are kept here to tell spans apart in tests.
	TraceID, SpanID string
	// Start and End are the span's times (request and response time), to
	// the nanosecond; zero when not an integer (Log has the server's view).
	Start, End time.Time

	Provider    string // gen_ai.system, upper-cased
	Model       string // gen_ai.response.model; gen_ai.request.model is not read
	RequestType string // llm.request.type, the response's "object"
	// MaxTokens is gen_ai.response.max_tokens; when nil the server records 50.
	MaxTokens *int64

	Messages []Message // gen_ai.prompt.N.*
	Choices  []Choice  // gen_ai.completion.N.*

	// Token counts are nil when absent or not an intValue holding a whole
	// number, so that a test can tell "not sent" from 0.
	PromptTokens     *int64 // gen_ai.usage.prompt_tokens
	CompletionTokens *int64 // gen_ai.usage.completion_tokens
	TotalTokens      *int64 // llm.usage.total_tokens

	// UserID is traceloop.association.properties.Helicone-User-Id, else llm.user.
	UserID string
	// Session fields are traceloop.association.properties.Helicone-Session-Id,
	// -Session-Path and -Session-Name.
	SessionID, SessionPath, SessionName string
	// Properties maps X to the text of
	// traceloop.association.properties.Helicone-Property-X; nil when none.
	// (The server's Log.Properties also holds the session keys.)
	Properties map[string]string
}

// Message is one request message, from gen_ai.prompt.N.role and .content.
type Message struct {
	Role    string
	Content string
}

// Choice is one response choice, from gen_ai.completion.N.role, .content and
// .finish_reason. Index is N.
type Choice struct {
	Index        int
	Role         string
	Content      string
	FinishReason string
}

// Duration is the latency Helicone shows: end minus start.
func (c Call) Duration() time.Duration { return c.End.Sub(c.Start) }

// ReadCalls reads a request body as the server does: parse, validate, then
// log span by span. It returns the calls the server would log and, when it
// would not answer 200, why: an error wrapping ErrInvalidJSON, a
// *ValidationError (nothing logged), or a *SpanError, in which case the
// calls are those logged before the span that failed.
func ReadCalls(body []byte) ([]Call, error) {
	doc, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	trace, verr := validateTrace(doc)
	if verr != nil {
		return nil, verr
	}
	return consume(trace)
}

// consume is the parser's loop over a validated body: every span of every
// scope of every resource, in order, each logged before the next is read.
func consume(trace any) ([]Call, error) {
	var calls []Call
	for _, rs := range list(trace, "resourceSpans") {
		for _, ss := range list(rs, "scopeSpans") {
			for _, sp := range list(ss, "spans") {
				call, err := readCall(sp.(*object))
				if err != nil {
					err.Index = len(calls)
					return calls, err
				}
				calls = append(calls, call)
			}
		}
	}
	return calls, nil
}

// list is a validated object's list field.
func list(v any, field string) []any {
	l, _ := v.(*object).vals[field].([]any)
	return l
}

func readCall(span *object) (Call, *SpanError) {
	text := func(field string) string { s, _ := span.vals[field].(string); return s }
	attrs := attributes{values: map[string]Value{}}
	for _, a := range list(span, "attributes") {
		kv := a.(*object)
		key, _ := kv.vals["key"].(string)
		if !attrs.has(key) {
			attrs.keys = append(attrs.keys, key)
		}
		attrs.values[key] = readValue(kv.vals["value"])
	}
	log, err := buildLog(attrs, text("startTimeUnixNano"), text("endTimeUnixNano"))
	if err != nil {
		return Call{}, err
	}
	return Call{
		Log:              log,
		SpanName:         text("name"),
		TraceID:          text("traceId"),
		SpanID:           text("spanId"),
		Start:            unixNano(text("startTimeUnixNano")),
		End:              unixNano(text("endTimeUnixNano")),
		Provider:         log.Provider,
		Model:            log.Model.Text(),
		RequestType:      log.Object.Text(),
		MaxTokens:        attrs.count(attrMaxTokens),
		Messages:         messages(log.Messages),
		Choices:          choices(log.Choices),
		PromptTokens:     attrs.count(attrPromptTokens),
		CompletionTokens: attrs.count(attrCompleteTokens),
		TotalTokens:      attrs.count(attrTotalTokens),
		UserID:           log.UserID.Text(),
		SessionID:        attrs.get(attrSessionID).Text(),
		SessionPath:      attrs.get(attrSessionPath).Text(),
		SessionName:      attrs.get(attrSessionName).Text(),
		Properties:       customProperties(attrs),
	}, nil
}

// unixNano reads an OTLP time: any uint64 of nanoseconds; zero otherwise.
func unixNano(s string) time.Time {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(int64(n/1e9), int64(n%1e9))
}

func messages(in []LogMessage) []Message {
	var out []Message
	for _, m := range in {
		out = append(out, Message{Role: m.Role.Text(), Content: m.Content.Text()})
	}
	return out
}

func choices(in []LogChoice) []Choice {
	var out []Choice
	for _, c := range in {
		out = append(out, Choice{Index: int(c.Index), Role: c.Message.Role.Text(), Content: c.Message.Content.Text(), FinishReason: c.FinishReason.Text()})
	}
	return out
}

// customProperties are the Helicone-Property-X keys with a defined value.
func customProperties(attrs attributes) map[string]string {
	var props map[string]string
	for _, key := range attrs.keys {
		name, ok := strings.CutPrefix(key, prefixHeliconeProps)
		if v := attrs.get(key); ok && !v.IsZero() {
			if props == nil {
				props = map[string]string{}
			}
			props[name] = v.Text()
		}
	}
	return props
}
