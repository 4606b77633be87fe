package e2e

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// TestGroupByTraceKeepsNestedCallsTogether sends a framework's LLM span and
// the provider SDK's LLM span inside it in two OTLP requests, the inner one
// first, as an SDK exports them when the outer call ends later. The exporter
// sends only the innermost of nested LLM calls, and can tell only when both
// are in one batch: through the default configuration Helicone logs the
// wrapper as a second call; through config/groupbytrace.yaml, which holds the
// trace until it is complete, it logs the inner call only, with the
// Environment property the resource processor added.
func TestGroupByTraceKeepsNestedCallsTogether(t *testing.T) {
	for _, tc := range []struct {
		config  string
		grouped bool
	}{
		{config: "otelcol-helicone.yaml"},
		{config: "groupbytrace.yaml", grouped: true},
	} {
		t.Run(tc.config, func(t *testing.T) {
			t.Parallel()
			srv := startFakeHelicone(t, helicone.Faults{})
			col := startShippedCollector(t, configFile(tc.config), srv.URL(), "DEPLOYMENT_ENVIRONMENT=e2e-gateway")
			tp := newTracerProvider(t, col.http, "groupbytrace")
			tracer := tp.Tracer("openinference.instrumentation.langchain")

			ctx, outer := tracer.Start(context.Background(), "ChatOpenAI",
				trace.WithAttributes(
					attribute.String("openinference.span.kind", "LLM"),
					attribute.String("llm.system", "openai"),
					attribute.String("llm.model_name", "gpt-4o-mini"),
				))
			chat := llmspans.Chat{
				Provider: "openai", RequestModel: "gpt-4o-mini", ResponseModel: "gpt-4o-mini-2024-07-18",
				Messages: []llmspans.Message{{Role: "user", Content: "Which regions have GPUs?"}},
				Output:   llmspans.Message{Role: "assistant", Content: "us-east-1 and eu-west-1."}, FinishReason: "stop",
				InputTokens: 5, OutputTokens: 6,
			}
			_, inner := tp.Tracer(chat.Instrumentation()).Start(ctx, chat.SpanName(),
				trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(chat.Attributes()...))
			inner.End()
			flush(t, tp)

			// The inner call alone has reached the collector.
			if tc.grouped {
				// Well past the exporter's batch flush_timeout (200ms): it would
				// have sent the span by now, had groupbytrace not held it.
				time.Sleep(2 * time.Second)
				if n := srv.SpanCount(); n != 0 {
					t.Fatalf("Helicone logged %d spans before the trace was complete: groupbytrace did not hold them", n)
				}
			} else if err := srv.WaitForSpans(testContext(t, 30*time.Second), 1); err != nil {
				t.Fatalf("the inner call was not sent on its own: %v", err)
			}

			outer.End()
			flush(t, tp)
			want := 1
			if !tc.grouped {
				want = 2 // the wrapper too: the duplicate groupbytrace prevents
			}
			if err := srv.WaitForSpans(testContext(t, 30*time.Second), want); err != nil {
				t.Fatalf("Helicone logged %d of %d spans: %v", srv.SpanCount(), want, err)
			}
			col.stop(t, 30*time.Second)
			checkRequests(t, srv)

			calls := srv.Calls()
			if len(calls) != want {
				t.Fatalf("Helicone logged %d calls, want %d", len(calls), want)
			}
			if !tc.grouped {
				return
			}
			c := calls[0]
			if c.SpanID != inner.SpanContext().SpanID().String() {
				t.Errorf("Helicone logged %q (%s), want the inner call %s", c.SpanName, c.SpanID, inner.SpanContext().SpanID())
			}
			if got := c.Properties["Environment"]; got != "e2e-gateway" {
				t.Errorf("property Environment %q, want e2e-gateway from the resource processor", got)
			}
		})
	}
}
