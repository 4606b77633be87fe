package deploy

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// llmSpan is what the test app sends: one chat completion, with the
// attributes OpenLLMetry records and Helicone reads.
var llmSpan = struct {
	name, provider, model, prompt, completion string
}{"openai.chat", "openai", "gpt-4o-mini-2024-07-18", "Say hello to the sidecar.", "Hello, sidecar!"}

// sendLLMSpan sends one LLM span over OTLP/HTTP as an app configured with
// OTEL_EXPORTER_OTLP_ENDPOINT=endpoint would, and returns its span context.
func sendLLMSpan(t *testing.T, endpoint string) trace.SpanContext {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The SDK appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT.
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(rec),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "llm-app"))),
	)
	_, span := tp.Tracer("deploy-test").Start(ctx, llmSpan.name, trace.WithSpanKind(trace.SpanKindClient))
	span.SetAttributes(
		attribute.String("gen_ai.system", llmSpan.provider),
		attribute.String("gen_ai.request.model", "gpt-4o-mini"),
		attribute.String("gen_ai.response.model", llmSpan.model),
		attribute.String("llm.request.type", "chat"),
		attribute.String("gen_ai.prompt.0.role", "user"),
		attribute.String("gen_ai.prompt.0.content", llmSpan.prompt),
		attribute.String("gen_ai.completion.0.role", "assistant"),
		attribute.String("gen_ai.completion.0.content", llmSpan.completion),
		attribute.String("gen_ai.completion.0.finish_reason", "stop"),
		attribute.Int("gen_ai.usage.prompt_tokens", 12),
		attribute.Int("gen_ai.usage.completion_tokens", 4),
		attribute.Int("llm.usage.total_tokens", 16),
	)
	span.End()
	if err := exp.ExportSpans(ctx, rec.Ended()); err != nil {
		t.Fatalf("sending the LLM span to %s: %v", endpoint, err)
	}
	if err := exp.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	return span.SpanContext()
}

// checkArrived checks that Helicone logged exactly the span sent, once, with
// the key the collector was given.
func checkArrived(t *testing.T, srv *helicone.Server, sc trace.SpanContext, apiKey string) {
	t.Helper()
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("Helicone logged %d spans, want the 1 sent", len(calls))
	}
	c := calls[0]
	if c.TraceID != sc.TraceID().String() || c.SpanID != sc.SpanID().String() {
		t.Errorf("logged span %s/%s, sent %s/%s", c.TraceID, c.SpanID, sc.TraceID(), sc.SpanID())
	}
	if c.Provider != "OPENAI" || c.Model != llmSpan.model {
		t.Errorf("logged provider %q model %q, want OPENAI %s", c.Provider, c.Model, llmSpan.model)
	}
	if len(c.Messages) != 1 || c.Messages[0].Content != llmSpan.prompt || len(c.Choices) != 1 || c.Choices[0].Content != llmSpan.completion {
		t.Errorf("logged messages %+v choices %+v, want the prompt and completion sent", c.Messages, c.Choices)
	}
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer "+apiKey {
		t.Errorf("Authorization %q, want the key from %s", got, apiKeyEnv)
	}
}
