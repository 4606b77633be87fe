package helicone

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Log is one request log exactly as the server's parser (jawn's
// TraceManager) builds it from one span and hands it to its queue, less the
// random ids. Its JSON is the server's: the fields that never vary
// (targetUrl, path, temperature, ...) are written too, undefined values are
// left out, dates are ISO strings or null.
type Log struct {
	Provider   string           // gen_ai.system upper-cased, "" when absent
	UserID     Value            // Helicone-User-Id ?? llm.user ?? ""
	Properties map[string]Value // traceloop.association.properties.Helicone-*
	// RequestBodySize and ResponseBodySize are the lengths, in UTF-16 code
	// units, of the messages and choices as JSON.
	RequestBodySize, ResponseBodySize int
	// RequestCreatedAt and ResponseCreatedAt are the span's start and end as
	// JavaScript Dates: whole milliseconds since the epoch, NaN when invalid.
	RequestCreatedAt, ResponseCreatedAt float64
	DelayMs                             float64 // end minus start in whole ms; -1 when a time is ""

	Model     Value // gen_ai.response.model
	Messages  []LogMessage
	MaxTokens Value // gen_ai.response.max_tokens ?? 50
	Object    Value // llm.request.type
	Choices   []LogChoice

	PromptTokens, CompletionTokens, TotalTokens Value
}

// LogMessage is one gen_ai.prompt.N or the message of a choice.
type LogMessage struct {
	Role, Content Value
}

// LogChoice is one gen_ai.completion.N; Index is N as parseInt read it.
type LogChoice struct {
	Index        float64
	FinishReason Value
	Message      LogMessage
}

// SpanError is the exception the server's parser throws on a span. The
// server then answers 500 with an empty body: the spans before this one are
// already logged, this one and the rest of the request are not, and a retry
// logs the earlier ones again.
type SpanError struct {
	Index int    // of the span in the request, counting across resources and scopes
	Key   string // the attribute that made it throw
	Err   string // the JavaScript error
}

func (e *SpanError) Error() string {
	return fmt.Sprintf("span %d: %s: the server throws %s after logging the %d spans before it", e.Index, e.Key, e.Err, e.Index)
}

// The attribute keys and prefixes the server reads.
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
	prefixHelicone      = prefixAssociation + "Helicone-"
	attrHeliconeUser    = prefixHelicone + "User-Id"
	attrSessionID       = prefixHelicone + "Session-Id"
	attrSessionPath     = prefixHelicone + "Session-Path"
	attrSessionName     = prefixHelicone + "Session-Name"
	prefixHeliconeProps = prefixHelicone + "Property-"
)

// defaultMaxTokens is what the server records when gen_ai.response.max_tokens is absent.
const defaultMaxTokens = 50

// upper is String.prototype.toUpperCase: full case mapping ("ß" is "SS").
var upper = cases.Upper(language.Und)

// buildLog does what the parser does with one span's attributes and times,
// in its order; the only step that can throw is upper-casing gen_ai.system.
func buildLog(attrs attributes, start, end string) (Log, *SpanError) {
	messages := readMessages(attrs, prefixPrompt)
	choices := readChoices(attrs)
	l := Log{
		UserID:            attrs.or(attrHeliconeUser, attrs.or(attrLLMUser, StringValue(""))),
		Properties:        properties(attrs),
		Model:             attrs.get(attrResponseModel),
		Messages:          messages,
		MaxTokens:         attrs.or(attrMaxTokens, NumberValue(defaultMaxTokens)),
		Object:            attrs.get(attrRequestType),
		Choices:           choices,
		PromptTokens:      attrs.get(attrPromptTokens),
		CompletionTokens:  attrs.get(attrCompleteTokens),
		TotalTokens:       attrs.get(attrTotalTokens),
		RequestBodySize:   utf16Len(string(appendMessages(nil, messages))),
		ResponseBodySize:  utf16Len(string(appendChoices(nil, choices))),
		RequestCreatedAt:  jsDate(start),
		ResponseCreatedAt: jsDate(end),
		DelayMs:           -1,
	}
	if start != "" && end != "" {
		l.DelayMs = math.Trunc((parseIntJS(end) - parseIntJS(start)) / 1e6)
	}
	system := attrs.get(attrSystem)
	if system.IsNumber() {
		return Log{}, &SpanError{Key: attrSystem, Err: "TypeError: toUpperCase is not a function (an intValue)"}
	}
	l.Provider = upper.String(system.Text())
	return l, nil
}

// readMessages is the parser's message list for prefix: the N of every key
// starting with prefix (parseInt of the key's third dot-separated part, so
// "gen_ai.prompts.3.x" counts too), in order of first appearance, kept only
// when prefix.N.role was sent.
func readMessages(attrs attributes, prefix string) []LogMessage {
	var out []LogMessage
	for _, n := range indexes(attrs, prefix) {
		out = append(out, message(attrs, prefix, n))
	}
	return out
}

func readChoices(attrs attributes) []LogChoice {
	var out []LogChoice
	for _, n := range indexes(attrs, prefixCompletion) {
		out = append(out, LogChoice{
			Index:        n,
			FinishReason: attrs.get(indexKey(prefixCompletion, n, "finish_reason")),
			Message:      message(attrs, prefixCompletion, n),
		})
	}
	return out
}

func message(attrs attributes, prefix string, n float64) LogMessage {
	return LogMessage{Role: attrs.get(indexKey(prefix, n, "role")), Content: attrs.get(indexKey(prefix, n, "content"))}
}

func indexKey(prefix string, n float64, field string) string {
	return prefix + "." + jsNumber(n) + "." + field
}

func indexes(attrs attributes, prefix string) []float64 {
	var out []float64
	var seen []string // SameValueZero, by String(n): NaN equals NaN, -0 equals 0
	for _, key := range attrs.keys {
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		part := "undefined"
		if parts := strings.Split(key, "."); len(parts) > 2 {
			part = parts[2]
		}
		n := parseIntJS(part)
		if slices.Contains(seen, jsNumber(n)) {
			continue
		}
		seen = append(seen, jsNumber(n))
		if attrs.has(indexKey(prefix, n, "role")) {
			out = append(out, n)
		}
	}
	return out
}

// properties are every traceloop.association.properties.Helicone-* key but
// the user id, named without "...Helicone-Property-" or, for the others
// (sessions), without "traceloop.association.properties.".
func properties(attrs attributes) map[string]Value {
	props := map[string]Value{}
	for _, key := range attrs.keys {
		if !strings.HasPrefix(key, prefixHelicone) || key == attrHeliconeUser {
			continue
		}
		name, ok := strings.CutPrefix(key, prefixHeliconeProps)
		if !ok {
			name = strings.TrimPrefix(key, prefixAssociation)
		}
		props[name] = attrs.get(key)
	}
	return props
}

// maxDateMs is the range of a JavaScript Date.
const maxDateMs = 8.64e15

// jsDate is new Date(parseInt(ns) / 1e6) as milliseconds; NaN when invalid.
func jsDate(ns string) float64 {
	ms := parseIntJS(ns) / 1e6
	if math.IsNaN(ms) || math.Abs(ms) > maxDateMs {
		return math.NaN()
	}
	return math.Trunc(ms) + 0
}

// appendDate is JSON.stringify of a Date: its ISO string, null when invalid.
func appendDate(b []byte, ms float64) []byte {
	if math.IsNaN(ms) {
		return append(b, "null"...)
	}
	t := time.UnixMilli(int64(ms)).UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		b = fmt.Appendf(b, `"%+07d`, y)
	} else {
		b = fmt.Appendf(b, `"%04d`, y)
	}
	return t.AppendFormat(b, `-01-02T15:04:05.000Z"`)
}
