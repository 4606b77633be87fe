// Package llmspans builds realistic traces of an LLM-backed service with the
// OpenTelemetry SDK: an HTTP handler span wrapping database queries and LLM
// chat calls, the chat calls attributed as instrumentations record them. The
// demo sender (cmd/llmtracegen) and the end-to-end tests (e2e/) both use it,
// so what the demo shows is what the tests check.
package llmspans

import (
	"encoding/json"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// Convention is the attribute style an instrumentation records an LLM call in.
type Convention int

const (
	// OpenLLMetry is the style Helicone reads: gen_ai.system, indexed
	// gen_ai.prompt.N.* / gen_ai.completion.N.*, gen_ai.usage.prompt_tokens,
	// llm.request.type (OpenLLMetry up to 0.2x, most instrumentations today).
	OpenLLMetry Convention = iota
	// GenAISemconv is the newer OpenTelemetry GenAI semantic conventions:
	// gen_ai.provider.name, gen_ai.operation.name, gen_ai.input.messages and
	// gen_ai.output.messages as JSON, gen_ai.usage.input_tokens. Helicone does
	// not read it; the exporter maps it.
	GenAISemconv
)

func (c Convention) String() string {
	if c == GenAISemconv {
		return "genai-semconv"
	}
	return "openllmetry"
}

// Message is one chat message.
type Message struct {
	Role    string
	Content string
}

// Chat is one LLM chat completion as an instrumentation records it.
type Chat struct {
	Convention Convention
	// Provider is the gen_ai.system / gen_ai.provider.name value, e.g. "openai".
	Provider      string
	RequestModel  string
	ResponseModel string
	ResponseID    string
	Temperature   float64
	MaxTokens     int64

	Messages     []Message
	Output       Message
	FinishReason string

	InputTokens, OutputTokens int64

	// UserID, SessionID and Properties are Helicone's user, session and custom
	// properties, set the OpenLLMetry way: as association properties.
	UserID     string
	SessionID  string
	Properties map[string]string

	// Latency is the span's duration.
	Latency time.Duration
}

// Instrumentation is the name of the instrumentation library recording the
// call, used as the tracer's scope.
func (c Chat) Instrumentation() string {
	if c.Convention == GenAISemconv {
		return "opentelemetry.instrumentation." + c.Provider + ".v2"
	}
	return "opentelemetry.instrumentation." + c.Provider
}

// SpanName is the name the instrumentation gives the span.
func (c Chat) SpanName() string {
	if c.Convention == GenAISemconv {
		return "chat " + c.RequestModel
	}
	return c.Provider + ".chat"
}

// TotalTokens is input plus output tokens.
func (c Chat) TotalTokens() int64 { return c.InputTokens + c.OutputTokens }

// Attributes are the span attributes in the chat's convention, in the order
// an instrumentation sets them: request first, response after the call.
func (c Chat) Attributes() []attribute.KeyValue {
	if c.Convention == GenAISemconv {
		return c.semconvAttributes()
	}
	return c.openLLMetryAttributes()
}

func (c Chat) openLLMetryAttributes() []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		attribute.String("gen_ai.system", c.Provider),
		attribute.String("llm.request.type", "chat"),
		attribute.String("gen_ai.request.model", c.RequestModel),
	}
	attrs = c.appendRequestParams(attrs)
	for i, m := range c.Messages {
		p := "gen_ai.prompt." + itoa(i)
		attrs = append(attrs, attribute.String(p+".role", m.Role), attribute.String(p+".content", m.Content))
	}
	attrs = c.appendAssociation(attrs)
	attrs = append(attrs,
		attribute.String("gen_ai.response.model", c.ResponseModel),
		attribute.String("gen_ai.response.id", c.ResponseID),
		attribute.Int64("llm.usage.total_tokens", c.TotalTokens()),
		attribute.Int64("gen_ai.usage.completion_tokens", c.OutputTokens),
		attribute.Int64("gen_ai.usage.prompt_tokens", c.InputTokens),
		attribute.String("gen_ai.completion.0.finish_reason", c.FinishReason),
		attribute.String("gen_ai.completion.0.role", c.Output.Role),
		attribute.String("gen_ai.completion.0.content", c.Output.Content),
	)
	return attrs
}

func (c Chat) semconvAttributes() []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		attribute.String("gen_ai.provider.name", c.Provider),
		attribute.String("gen_ai.operation.name", "chat"),
		attribute.String("gen_ai.request.model", c.RequestModel),
	}
	attrs = c.appendRequestParams(attrs)
	attrs = append(attrs, attribute.String("gen_ai.input.messages", inputMessagesJSON(c.Messages)))
	attrs = c.appendAssociation(attrs)
	attrs = append(attrs,
		attribute.String("gen_ai.response.model", c.ResponseModel),
		attribute.String("gen_ai.response.id", c.ResponseID),
		attribute.StringSlice("gen_ai.response.finish_reasons", []string{c.FinishReason}),
		attribute.Int64("gen_ai.usage.input_tokens", c.InputTokens),
		attribute.Int64("gen_ai.usage.output_tokens", c.OutputTokens),
		attribute.String("gen_ai.output.messages", outputMessagesJSON(c.Output, c.FinishReason)),
	)
	return attrs
}

func (c Chat) appendRequestParams(attrs []attribute.KeyValue) []attribute.KeyValue {
	if c.MaxTokens > 0 {
		attrs = append(attrs, attribute.Int64("gen_ai.request.max_tokens", c.MaxTokens))
	}
	if c.Temperature > 0 {
		attrs = append(attrs, attribute.Float64("gen_ai.request.temperature", c.Temperature))
	}
	return attrs
}

// AssociationPrefix is where OpenLLMetry puts association properties, which
// Helicone reads as user, session and custom properties.
const AssociationPrefix = "traceloop.association.properties."

func (c Chat) appendAssociation(attrs []attribute.KeyValue) []attribute.KeyValue {
	for _, name := range sortedKeys(c.Properties) {
		attrs = append(attrs, attribute.String(AssociationPrefix+"Helicone-Property-"+name, c.Properties[name]))
	}
	if c.UserID != "" {
		attrs = append(attrs, attribute.String(AssociationPrefix+"Helicone-User-Id", c.UserID))
	}
	if c.SessionID != "" {
		attrs = append(attrs, attribute.String(AssociationPrefix+"Helicone-Session-Id", c.SessionID))
	}
	return attrs
}

// The GenAI semantic conventions' message JSON: a list of messages, each with
// a role and parts.
type semconvMessage struct {
	Role         string        `json:"role"`
	FinishReason string        `json:"finish_reason,omitempty"`
	Parts        []semconvPart `json:"parts"`
}

type semconvPart struct {
	Type    string `json:"type"`
	Content string `json:"content"`
}

func inputMessagesJSON(msgs []Message) string {
	out := make([]semconvMessage, len(msgs))
	for i, m := range msgs {
		out[i] = semconvMessage{Role: m.Role, Parts: []semconvPart{{Type: "text", Content: m.Content}}}
	}
	return mustJSON(out)
}

func outputMessagesJSON(m Message, finishReason string) string {
	return mustJSON([]semconvMessage{{Role: m.Role, FinishReason: finishReason, Parts: []semconvPart{{Type: "text", Content: m.Content}}}})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings inside: cannot happen
	}
	return string(b)
}

// Words is a rough token count, for made-up usage numbers.
func Words(msgs ...Message) int64 {
	var n int
	for _, m := range msgs {
		n += len(strings.Fields(m.Content)) + 4 // role and framing, as tokenizers count it
	}
	return int64(n)
}
