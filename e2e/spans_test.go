package e2e

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// span is one span a test records with attributes of its choosing, for the
// cases the demo traces of internal/llmspans do not cover.
type span struct {
	name  string
	attrs []attribute.KeyValue
}

// newTracerProvider exports over OTLP/HTTP to endpoint as service
// e2e-<service>, with no other resource attribute.
func newTracerProvider(t *testing.T, endpoint, service string) *sdktrace.TracerProvider {
	t.Helper()
	exp, err := llmspans.NewExporter(testContext(t, 30*time.Second), llmspans.HTTP, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "e2e-"+service))))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp
}

// flush returns once the collector accepted every span tp recorded.
func flush(t *testing.T, tp *sdktrace.TracerProvider) {
	t.Helper()
	if err := tp.ForceFlush(testContext(t, 30*time.Second)); err != nil {
		t.Fatalf("sending over OTLP/HTTP: %v", err)
	}
}

// emitSpans sends spans, each the root of its own trace, to the collector's
// OTLP/HTTP endpoint.
func emitSpans(t *testing.T, endpoint string, spans []span) {
	t.Helper()
	tp := newTracerProvider(t, endpoint, t.Name())
	for _, s := range spans {
		_, sp := tp.Tracer("e2e").Start(context.Background(), s.name,
			trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(s.attrs...))
		sp.End()
	}
	flush(t, tp)
}
