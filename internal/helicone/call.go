package helicone

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Call is one Helicone request log: what the server makes of one span.
// Only the span's own attributes, name, ids and times are read; resource
// attributes, scope, kind, status, events and links never reach Helicone.
//
// Text fields hold "" when the attribute is absent. An attribute sent as an
// intValue reads as its number's text, as the server's JavaScript would.
type Call struct {
	SpanName string
	// TraceID and SpanID are as sent. The server discards them (each log gets
	// a fresh random id); they are kept here to tell spans apart in tests.
	TraceID, SpanID string
	// Start and End are the span's times (request and response time).
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
	// Properties maps X to the value of
	// traceloop.association.properties.Helicone-Property-X; nil when none.
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

// The attribute keys the server reads.
const (
	attrSystem          = "gen_ai.system"
	attrResponseModel   = "gen_ai.response.model"
	attrRequestType     = "llm.request.type"
	attrMaxTokens       = "gen_ai.response.max_tokens"
	attrPromptTokens    = "gen_ai.usage.prompt_tokens"
	attrCompleteTokens  = "gen_ai.usage.completion_tokens"
	attrTotalTokens     = "llm.usage.total_tokens"
	attrLLMUser         = "llm.user"
	prefixPrompt        = "gen_ai.prompt"
	prefixCompletion    = "gen_ai.completion"
	prefixAssociation   = "traceloop.association.properties."
	attrHeliconeUser    = prefixAssociation + "Helicone-User-Id"
	attrSessionID       = prefixAssociation + "Helicone-Session-Id"
	attrSessionPath     = prefixAssociation + "Helicone-Session-Path"
	attrSessionName     = prefixAssociation + "Helicone-Session-Name"
	prefixHeliconeProps = prefixAssociation + "Helicone-Property-"
)

// bodyJSON is the part of an OTELTrace body the server reads. Unknown fields
// are ignored so that any OTLP/JSON document can be read; ValidateBody is
// what rejects them.
type bodyJSON struct {
	ResourceSpans []struct {
		ScopeSpans []struct {
			Spans []spanJSON `json:"spans"`
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

type spanJSON struct {
	TraceID           string          `json:"traceId"`
	SpanID            string          `json:"spanId"`
	Name              string          `json:"name"`
	StartTimeUnixNano string          `json:"startTimeUnixNano"`
	EndTimeUnixNano   string          `json:"endTimeUnixNano"`
	Attributes        []attributeJSON `json:"attributes"`
}

type attributeJSON struct {
	Key   string    `json:"key"`
	Value valueJSON `json:"value"`
}

// ReadCalls reads a request body into the calls Helicone would log: one per
// span, every span, in body order. It does not validate; a body the server
// would accept is one that ValidateBody accepts. It fails on non-JSON, on a
// shape that cannot be decoded, and on a time that is not an integer string
// (the server cannot log such a span either).
func ReadCalls(body []byte) ([]Call, error) {
	var doc bodyJSON
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("reading calls: %w", err)
	}
	var calls []Call
	for _, rs := range doc.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, span := range ss.Spans {
				call, err := readCall(span)
				if err != nil {
					return nil, fmt.Errorf("reading call %d (span %q): %w", len(calls), span.Name, err)
				}
				calls = append(calls, call)
			}
		}
	}
	return calls, nil
}

func readCall(span spanJSON) (Call, error) {
	start, err := unixNano(span.StartTimeUnixNano)
	if err != nil {
		return Call{}, fmt.Errorf("startTimeUnixNano: %w", err)
	}
	end, err := unixNano(span.EndTimeUnixNano)
	if err != nil {
		return Call{}, fmt.Errorf("endTimeUnixNano: %w", err)
	}
	attrs := newAttributes(span.Attributes)
	return Call{
		SpanName:         span.Name,
		TraceID:          span.TraceID,
		SpanID:           span.SpanID,
		Start:            start,
		End:              end,
		Provider:         strings.ToUpper(attrs.str(attrSystem)),
		Model:            attrs.str(attrResponseModel),
		RequestType:      attrs.str(attrRequestType),
		MaxTokens:        attrs.count(attrMaxTokens),
		Messages:         readMessages(attrs),
		Choices:          readChoices(attrs),
		PromptTokens:     attrs.count(attrPromptTokens),
		CompletionTokens: attrs.count(attrCompleteTokens),
		TotalTokens:      attrs.count(attrTotalTokens),
		UserID:           userID(attrs),
		SessionID:        attrs.str(attrSessionID),
		SessionPath:      attrs.str(attrSessionPath),
		SessionName:      attrs.str(attrSessionName),
		Properties:       properties(attrs),
	}, nil
}

// unixNano reads an OTLP time: any uint64 of nanoseconds, which Helicone turns into
// a (possibly absurd) date rather than rejecting.
func unixNano(s string) (time.Time, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an integer", s)
	}
	return time.Unix(int64(n/1e9), int64(n%1e9)), nil
}

func readMessages(attrs attributes) []Message {
	var msgs []Message
	for _, i := range indexes(attrs, prefixPrompt) {
		p := prefixPrompt + "." + strconv.Itoa(i)
		msgs = append(msgs, Message{Role: attrs.str(p + ".role"), Content: attrs.str(p + ".content")})
	}
	return msgs
}

func readChoices(attrs attributes) []Choice {
	var choices []Choice
	for _, i := range indexes(attrs, prefixCompletion) {
		p := prefixCompletion + "." + strconv.Itoa(i)
		choices = append(choices, Choice{
			Index:        i,
			Role:         attrs.str(p + ".role"),
			Content:      attrs.str(p + ".content"),
			FinishReason: attrs.str(p + ".finish_reason"),
		})
	}
	return choices
}

// indexes are the N of prefix.N.* in the order they first appear, keeping
// only those whose prefix.N.role was sent. Like the server, it takes N as
// parseInt of the third dot-separated part of ANY key starting with prefix,
// so "gen_ai.prompts.3.x" puts index 3 in the order too.
func indexes(attrs attributes, prefix string) []int {
	var out []int
	seen := map[int]bool{}
	for _, key := range attrs.keys {
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		parts := strings.SplitN(key, ".", 4)
		if len(parts) < 3 {
			continue
		}
		i, ok := parseLeadingInt(parts[2])
		if !ok || seen[i] {
			continue
		}
		seen[i] = true
		if attrs.has(prefix + "." + strconv.Itoa(i) + ".role") {
			out = append(out, i)
		}
	}
	return out
}

// parseLeadingInt is JavaScript's parseInt(s) for the cases that matter: the
// leading optionally signed digits; false where parseInt gives NaN.
func parseLeadingInt(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	i, err := strconv.Atoi(strings.TrimPrefix(s[:end], "+"))
	return i, err == nil
}

func userID(attrs attributes) string {
	if v, ok := attrs.lookup(attrHeliconeUser); ok {
		return v.text
	}
	return attrs.str(attrLLMUser)
}

func properties(attrs attributes) map[string]string {
	var props map[string]string
	for _, key := range attrs.keys {
		name, ok := strings.CutPrefix(key, prefixHeliconeProps)
		v, set := attrs.lookup(key)
		if !ok || !set {
			continue
		}
		if props == nil {
			props = map[string]string{}
		}
		props[name] = v.text
	}
	return props
}
