package llmspans

import (
	"context"
	"encoding/json"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestEmitRecordsOneTracePerRequest(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	var want int
	for _, r := range Demo() {
		emitted := Emit(context.Background(), tp, r)
		want += len(emitted)
		if len(emitted) != len(r.Steps)+1 {
			t.Fatalf("%s: %d spans for %d steps", r.Route, len(emitted), len(r.Steps))
		}
		handler := emitted[len(emitted)-1]
		if handler.Kind != KindHTTP {
			t.Fatalf("%s: the last span ended is %s, want the handler", r.Route, handler.Kind)
		}
		for _, s := range emitted {
			if s.TraceID != handler.TraceID {
				t.Errorf("%s: span %s in trace %s, the handler in %s", r.Route, s.Name, s.TraceID, handler.TraceID)
			}
			if (s.Kind == KindLLM) != (s.Chat != nil) {
				t.Errorf("%s: span %s of kind %s with chat %v", r.Route, s.Name, s.Kind, s.Chat)
			}
		}
	}
	ended := rec.Ended()
	if len(ended) != want {
		t.Fatalf("%d spans ended, Emit reported %d", len(ended), want)
	}
	byID := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range ended {
		byID[s.SpanContext().SpanID().String()] = s
	}
	for _, s := range ended {
		if s.EndTime().Before(s.StartTime()) {
			t.Errorf("span %s ends before it starts", s.Name())
		}
		if !s.Parent().IsValid() {
			continue
		}
		p, ok := byID[s.Parent().SpanID().String()]
		if !ok {
			t.Errorf("span %s has a parent that was not recorded", s.Name())
			continue
		}
		if s.StartTime().Before(p.StartTime()) || s.EndTime().After(p.EndTime()) {
			t.Errorf("span %s is not within its parent %s", s.Name(), p.Name())
		}
	}
}

func TestDemoMixesConventionsAndSpanKinds(t *testing.T) {
	conventions := map[Convention]int{}
	var nonLLM int
	for _, r := range Demo() {
		for _, s := range r.Steps {
			if s.Chat != nil {
				conventions[s.Chat.Convention]++
			} else {
				nonLLM++
			}
		}
	}
	if conventions[OpenLLMetry] == 0 || conventions[GenAISemconv] == 0 || nonLLM == 0 {
		t.Errorf("the demo must have OpenLLMetry and GenAI-semconv calls and other spans: %v, %d other", conventions, nonLLM)
	}
}

func TestSemconvMessagesAreJSON(t *testing.T) {
	c := Chat{Convention: GenAISemconv, Provider: "openai", RequestModel: "m", ResponseModel: "m-1",
		Messages: []Message{{Role: "user", Content: `say "hi"`}}, Output: Message{Role: "assistant", Content: "hi"}, FinishReason: "stop"}
	got := map[attribute.Key]attribute.Value{}
	for _, kv := range c.Attributes() {
		got[kv.Key] = kv.Value
	}
	var in []semconvMessage
	if err := json.Unmarshal([]byte(got["gen_ai.input.messages"].AsString()), &in); err != nil {
		t.Fatal(err)
	}
	if len(in) != 1 || in[0].Role != "user" || in[0].Parts[0].Content != `say "hi"` {
		t.Errorf("input messages %+v", in)
	}
	var out []semconvMessage
	if err := json.Unmarshal([]byte(got["gen_ai.output.messages"].AsString()), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].FinishReason != "stop" || out[0].Parts[0].Content != "hi" {
		t.Errorf("output messages %+v", out)
	}
	if _, ok := got["gen_ai.system"]; ok {
		t.Error("a GenAI-semconv span carries gen_ai.system")
	}
}
