//go:build long

package faults

import (
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// poisonValues are a value of every type a span attribute can have.
var poisonValues = map[string]*commonpb.AnyValue{
	"string": {Value: &commonpb.AnyValue_StringValue{StringValue: "forty-two"}},
	"int":    {Value: &commonpb.AnyValue_IntValue{IntValue: 42}},
	"double": {Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 4.5}},
	"bool":   {Value: &commonpb.AnyValue_BoolValue{BoolValue: true}},
	"bytes":  {Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{0xde, 0xad}}},
	"array": {Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: []*commonpb.AnyValue{
		{Value: &commonpb.AnyValue_StringValue{StringValue: "a"}}, {Value: &commonpb.AnyValue_IntValue{IntValue: 1}}}}}},
	"map": {Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: []*commonpb.KeyValue{
		{Key: "k", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "v"}}}}}}},
	"empty": {},
}

// TestPoisonSpans sends, through the real binary, one request per key the
// Helicone parser reads and per value type that key does not want: a healthy
// LLM span, the same kind of span with that key in that type, and another
// healthy span, as a new user's first traces may be. Helicone throws on some
// of these after logging the spans before, and rejects a whole request for
// others, so an exporter that sends them as they came duplicates or loses
// the healthy ones. Every healthy span must arrive exactly once, Helicone
// must never answer 500, and each poison span must arrive at most once, or
// be counted as dropped.
func TestPoisonSpans(t *testing.T) {
	srv := startEndpoint(t, helicone.Faults{})
	col := startCollector(t, heliconeConfig(srv.baseURL(), 5*time.Second, ""))
	client, err := otelcoltest.NewClient(testContext(t, 10*time.Second), llmspans.GRPC, col.Ports().GRPC, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(testContext(t, 5*time.Second)) }()

	src := otelcoltest.NewSpanSource(7300, llmspans.OpenLLMetry)
	var healthy, poison []otelcoltest.SpanID
	for _, rk := range helicone.ReadKeys {
		key := strings.NewReplacer(".N.", ".0.", "-X", "-Tier").Replace(rk.Key)
		for typ, value := range poisonValues {
			if typ == strings.TrimSuffix(string(rk.Want), "Value") {
				continue
			}
			rs, ids := src.Batch(3)
			setAttribute(spanOf(rs, ids[1]), key, value)
			if err := client.UploadTraces(testContext(t, 10*time.Second), []*tracepb.ResourceSpans{rs}); err != nil {
				t.Fatalf("the collector refused the spans with %s as %s: %v", key, typ, err)
			}
			healthy = append(healthy, ids[0], ids[2])
			poison = append(poison, ids[1])
		}
	}

	waitErr := srv.waitForIDs(testContext(t, time.Minute), healthy)
	m, err := col.WaitForMetrics(testContext(t, 15*time.Second), func(m otelcoltest.Metrics) bool {
		return m.Sum(otelcoltest.SentSpans, "exporter", "helicone")+m.Sum(otelcoltest.SendFailedSpans, "exporter", "helicone") >= float64(len(healthy)+len(poison))
	})
	if err != nil {
		t.Errorf("the exporter never accounted for every span: %v", err)
	}
	logged := srv.loggedIDs()
	var lostHealthy, twice, poisonArrived, poisonTwice int
	for _, id := range healthy {
		switch n := logged[id]; {
		case n == 0:
			lostHealthy++
		case n > 1:
			twice++
		}
	}
	for _, id := range poison {
		if logged[id] > 0 {
			poisonArrived++
		}
		if logged[id] > 1 {
			poisonTwice++
		}
	}
	dropped := int(m.Sum(otelcoltest.HeliconeDropped))
	t.Logf("poison spans: %d keys × types; healthy spans %d sent, %d lost, %d logged more than once; poison spans %d arrived (%d more than once), %d counted as dropped; Helicone answered %d × 500, %d × 422",
		len(poison), len(healthy), lostHealthy, twice, poisonArrived, poisonTwice, dropped, srv.countStatus(http.StatusInternalServerError), srv.countStatus(http.StatusUnprocessableEntity))
	if waitErr != nil || lostHealthy > 0 || twice > 0 {
		t.Errorf("healthy spans next to poison ones: %d lost, %d logged more than once (%v)", lostHealthy, twice, waitErr)
	}
	if poisonTwice > 0 {
		t.Errorf("%d poison spans were logged more than once", poisonTwice)
	}
	if poisonArrived+dropped != len(poison) {
		t.Errorf("%d poison spans arrived and %d were counted as dropped, of %d: the rest vanished without a count", poisonArrived, dropped, len(poison))
	}
	if rejected := srv.rejected(); len(rejected) > 0 {
		t.Errorf("Helicone rejected %d requests, first: %s", len(rejected), rejected[0])
	}
}

// setAttribute gives span key=value, in place of any value it had. The
// span's attributes may be shared with other spans: it gets its own.
func setAttribute(span *tracepb.Span, key string, value *commonpb.AnyValue) {
	attrs := make([]*commonpb.KeyValue, 0, len(span.Attributes)+1)
	for _, kv := range span.Attributes {
		if kv.Key != key {
			attrs = append(attrs, kv)
		}
	}
	span.Attributes = append(attrs, &commonpb.KeyValue{Key: key, Value: value})
}

// spanOf is the span of rs with id.
func spanOf(rs *tracepb.ResourceSpans, id otelcoltest.SpanID) *tracepb.Span {
	for _, ss := range rs.ScopeSpans {
		for _, span := range ss.Spans {
			if otelcoltest.SpanID(hex.EncodeToString(span.TraceId)+"/"+hex.EncodeToString(span.SpanId)) == id {
				return span
			}
		}
	}
	panic("no span " + string(id))
}
