package otelcoltest

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// SpanID names a span as Helicone's fake endpoint keys it: lower-case hex
// "traceId/spanId".
type SpanID string

// SpanSource makes LLM-shaped spans: the chat calls of llmspans.Demo(), in
// both conventions it records (OpenLLMetry and the GenAI semantic
// conventions), each span with fresh ids from a seeded generator, so that
// two sources with the same seed make the same spans. Like real traffic, no
// two spans are alike: each chat comes in variants whose prompt, answer and
// user differ, and each span has its own response id; so gzip has as much
// work as on real prompts. It is not safe for concurrent use: give each
// sender its own.
type SpanSource struct {
	rng      *rand.Rand
	chats    []llmspans.Chat
	variants [][]variant // per chat
	service  string
	next     int
}

// variant is one chat's attributes, converted once.
type variant struct {
	attrs      []*commonpb.KeyValue
	responseID int // the index of gen_ai.response.id in attrs
}

// variantsPerChat is enough that a variant rarely repeats within gzip's
// 32 KB window (a dozen spans).
const variantsPerChat = 64

// NewSpanSource returns a source of spans for the service "loadgen", in the
// given conventions (all of them when none is given).
func NewSpanSource(seed uint64, conventions ...llmspans.Convention) *SpanSource {
	s := &SpanSource{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), service: "loadgen"}
	for _, r := range llmspans.Demo() {
		for _, c := range r.Chats() {
			if len(conventions) > 0 && !slices.Contains(conventions, c.Convention) {
				continue
			}
			s.chats = append(s.chats, c)
			vs := make([]variant, variantsPerChat)
			for i := range vs {
				vs[i] = s.variant(c)
			}
			s.variants = append(s.variants, vs)
		}
	}
	return s
}

// variant is c with its last message, its answer and its user made its own.
func (s *SpanSource) variant(c llmspans.Chat) variant {
	c.Messages = slices.Clone(c.Messages)
	last := &c.Messages[len(c.Messages)-1]
	last.Content += " " + s.sentence()
	c.Output.Content += " " + s.sentence()
	c.UserID = fmt.Sprintf("user-%04d", s.rng.IntN(10000))
	c.InputTokens, c.OutputTokens = llmspans.Words(c.Messages...), llmspans.Words(c.Output)
	attrs := protoAttributes(c.Attributes())
	v := variant{attrs: attrs, responseID: -1}
	for i, kv := range attrs {
		if kv.Key == "gen_ai.response.id" {
			v.responseID = i
		}
	}
	return v
}

var words = strings.Fields(`the a my our deployment region cluster node pool upgrade rollback capacity
	pending stuck failed timeout latency error rate limit quota billing invoice plan customer ticket
	incident status page alert metric log trace database replica backup restore schedule weekend
	tomorrow urgent please check whether why how when can could should would after before during
	eu-west-1 eu-west-2 us-east-1 gpu cpu memory disk network certificate domain dns api key token`)

// sentence is 8 to 20 random words.
func (s *SpanSource) sentence() string {
	n := 8 + s.rng.IntN(13)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[s.rng.IntN(len(words))])
	}
	b.WriteByte('.')
	return b.String()
}

// Batch returns n LLM spans, ending now, as one resource with one scope per
// instrumentation, and their ids in order.
func (s *SpanSource) Batch(n int) (*tracepb.ResourceSpans, []SpanID) {
	rs := &tracepb.ResourceSpans{Resource: &resourcepb.Resource{Attributes: protoAttributes([]attribute.KeyValue{
		attribute.String("service.name", s.service),
		attribute.String("service.version", "1.4.2"),
		attribute.String("deployment.environment.name", "load"),
	})}}
	scopes := map[string]*tracepb.ScopeSpans{}
	ids := make([]SpanID, 0, n)
	end := time.Now()
	for range n {
		i := s.next % len(s.chats)
		s.next++
		c := s.chats[i]
		v := s.variants[i][s.rng.IntN(variantsPerChat)]
		attrs := v.attrs
		if v.responseID >= 0 {
			attrs = slices.Clone(attrs)
			attrs[v.responseID] = &commonpb.KeyValue{Key: "gen_ai.response.id", Value: &commonpb.AnyValue{
				Value: &commonpb.AnyValue_StringValue{StringValue: fmt.Sprintf("chatcmpl-%016x", s.rng.Uint64())}}}
		}
		span := s.span(c, attrs, end)
		ids = append(ids, SpanID(hex.EncodeToString(span.TraceId)+"/"+hex.EncodeToString(span.SpanId)))
		scope := scopes[c.Instrumentation()]
		if scope == nil {
			scope = &tracepb.ScopeSpans{Scope: &commonpb.InstrumentationScope{Name: c.Instrumentation()}}
			scopes[c.Instrumentation()] = scope
			rs.ScopeSpans = append(rs.ScopeSpans, scope)
		}
		scope.Spans = append(scope.Spans, span)
	}
	return rs, ids
}

func (s *SpanSource) span(c llmspans.Chat, attrs []*commonpb.KeyValue, end time.Time) *tracepb.Span {
	traceID := make([]byte, 16)
	spanID := make([]byte, 8)
	putUint64(traceID[:8], s.rng.Uint64())
	putUint64(traceID[8:], s.rng.Uint64())
	putUint64(spanID, s.rng.Uint64()|1) // never all zero
	return &tracepb.Span{
		TraceId:           traceID,
		SpanId:            spanID,
		Name:              c.SpanName(),
		Kind:              tracepb.Span_SPAN_KIND_CLIENT,
		StartTimeUnixNano: uint64(end.Add(-c.Latency).UnixNano()),
		EndTimeUnixNano:   uint64(end.UnixNano()),
		Attributes:        attrs, // mostly shared between spans: read-only once built
		Status:            &tracepb.Status{Code: tracepb.Status_STATUS_CODE_OK},
	}
}

func putUint64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (56 - 8*i))
	}
}

// protoAttributes converts SDK attributes into OTLP ones.
func protoAttributes(attrs []attribute.KeyValue) []*commonpb.KeyValue {
	out := make([]*commonpb.KeyValue, 0, len(attrs))
	for _, kv := range attrs {
		out = append(out, &commonpb.KeyValue{Key: string(kv.Key), Value: protoValue(kv.Value)})
	}
	return out
}

func protoValue(v attribute.Value) *commonpb.AnyValue {
	switch v.Type() {
	case attribute.BOOL:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: v.AsBool()}}
	case attribute.INT64:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v.AsInt64()}}
	case attribute.FLOAT64:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: v.AsFloat64()}}
	case attribute.STRINGSLICE:
		var values []*commonpb.AnyValue
		for _, s := range v.AsStringSlice() {
			values = append(values, &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}})
		}
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: values}}}
	default:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v.Emit()}}
	}
}
