package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// TestGenAILogRecordsJoinTheirSpan sends what the official OpenTelemetry
// GenAI instrumentations send when they record content as log records: a
// chat span without messages over traces, and the messages and response as
// GenAI event records over logs, through the default configuration. Each call
// must reach Helicone once with the messages and the response of its records,
// whichever arrives first; an application's own log line on the same span
// must not; and a call whose records never come is sent anyway on shutdown.
func TestGenAILogRecordsJoinTheirSpan(t *testing.T) {
	srv := startFakeHelicone(t, helicone.Faults{})
	col := startShippedCollector(t, defaultConfig, srv.URL())
	tp := newTracerProvider(t, col.http, "logs")
	lp := newLoggerProvider(t, col.http)
	tracer := tp.Tracer("opentelemetry.instrumentation.openai_v2")
	logger := lp.Logger("opentelemetry.instrumentation.openai_v2")

	names := map[string]string{} // span id -> test call
	chat := func(name string) (context.Context, trace.Span) {
		ctx, span := tracer.Start(context.Background(), "chat gpt-4o-mini", trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(
				attribute.String("gen_ai.operation.name", "chat"),
				attribute.String("gen_ai.system", "openai"),
				attribute.String("gen_ai.request.model", "gpt-4o-mini"),
				attribute.String("gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
				attribute.Int("gen_ai.usage.input_tokens", 21),
				attribute.Int("gen_ai.usage.output_tokens", 7)))
		names[span.SpanContext().SpanID().String()] = name
		return ctx, span
	}
	records := func(ctx context.Context, question, answer string) {
		emit(ctx, logger, "gen_ai.system.message", attribute.MapValue(attribute.String("content", "Answer in one sentence.")))
		emit(ctx, logger, "gen_ai.user.message", attribute.MapValue(attribute.String("content", question)))
		var line otellog.Record // the application's own log line, on the same span
		line.SetBody(attribute.StringValue("retrying the request"))
		line.SetSeverity(otellog.SeverityInfo)
		logger.Emit(ctx, line)
		emit(ctx, logger, "gen_ai.choice", attribute.MapValue(
			attribute.Int("index", 0),
			attribute.String("finish_reason", "stop"),
			attribute.Map("message", attribute.String("role", "assistant"), attribute.String("content", answer))))
	}

	// The span first: it waits in the collector for its records.
	ctx, span := chat("span first")
	span.End()
	flush(t, tp)
	records(ctx, "What is OpenTelemetry?", "A set of APIs and tools.")
	flushLogs(t, lp)

	// The records first: they wait for their span.
	ctx, span = chat("records first")
	records(ctx, "What is Helicone?", "An LLM observability platform.")
	flushLogs(t, lp)
	span.End()
	flush(t, tp)

	if err := srv.WaitForSpans(testContext(t, 30*time.Second), 2); err != nil {
		t.Fatalf("Helicone logged %d of 2 joined calls: %v", srv.SpanCount(), err)
	}

	// Records that never come: the span waits, and stopping sends it.
	_, span = chat("no records")
	span.End()
	flush(t, tp)
	col.stop(t, 30*time.Second)

	checkRequests(t, srv)
	if d := srv.Duplicates(); d != 0 {
		t.Errorf("Helicone logged %d duplicate spans", d)
	}
	byName := map[string]helicone.Call{}
	for _, c := range srv.Calls() {
		byName[names[c.SpanID]] = c
	}
	if len(srv.Calls()) != 3 {
		t.Fatalf("Helicone logged %d calls, want 3 (two joined, one flushed on shutdown): %v", len(srv.Calls()), byName)
	}
	for name, want := range map[string][2]string{
		"span first":    {"What is OpenTelemetry?", "A set of APIs and tools."},
		"records first": {"What is Helicone?", "An LLM observability platform."},
	} {
		c, ok := byName[name]
		if !ok {
			t.Errorf("%s: not logged", name)
			continue
		}
		wantMsgs := []helicone.Message{{Role: "system", Content: "Answer in one sentence."}, {Role: "user", Content: want[0]}}
		if !equalMessages(c.Messages, wantMsgs) {
			t.Errorf("%s: messages %+v, want %+v (the application's log line is not one)", name, c.Messages, wantMsgs)
		}
		if len(c.Choices) != 1 || c.Choices[0].Content != want[1] || c.Choices[0].FinishReason != "stop" {
			t.Errorf("%s: response %+v, want %q (stop)", name, c.Choices, want[1])
		}
		if c.Provider != "OPENAI" || c.Model != "gpt-4o-mini-2024-07-18" {
			t.Errorf("%s: provider %q model %q", name, c.Provider, c.Model)
		}
	}
	if c, ok := byName["no records"]; !ok {
		t.Error("the span whose records never came was lost on shutdown")
	} else if len(c.Messages) != 0 {
		t.Errorf("no records: got messages %+v", c.Messages)
	}
	for _, c := range srv.Calls() {
		for _, m := range c.Messages {
			if strings.Contains(m.Content, "retrying") {
				t.Errorf("%s: the application's log line became a message: %+v", names[c.SpanID], m)
			}
		}
	}
}

func equalMessages(a, b []helicone.Message) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Role != b[i].Role || a[i].Content != b[i].Content {
			return false
		}
	}
	return true
}

// emit records one GenAI event in ctx's span, as the instrumentations do.
func emit(ctx context.Context, logger otellog.Logger, event string, body attribute.Value) {
	var r otellog.Record
	r.SetEventName(event)
	r.SetTimestamp(time.Now())
	r.SetBody(body)
	r.AddAttributes(attribute.String("gen_ai.system", "openai"))
	logger.Emit(ctx, r)
}

// newLoggerProvider exports log records over OTLP/HTTP to endpoint.
func newLoggerProvider(t *testing.T, endpoint string) *sdklog.LoggerProvider {
	t.Helper()
	exp, err := otlploghttp.New(testContext(t, 30*time.Second),
		otlploghttp.WithEndpoint(endpoint),
		otlploghttp.WithInsecure(),
		otlploghttp.WithRetry(otlploghttp.RetryConfig{Enabled: false}))
	if err != nil {
		t.Fatal(err)
	}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewBatchProcessor(exp)),
		sdklog.WithResource(resource.NewSchemaless(attribute.String("service.name", "e2e-logs"))))
	t.Cleanup(func() { _ = lp.Shutdown(context.Background()) })
	return lp
}

// flushLogs returns once the collector accepted every record lp emitted.
func flushLogs(t *testing.T, lp *sdklog.LoggerProvider) {
	t.Helper()
	if err := lp.ForceFlush(testContext(t, 30*time.Second)); err != nil {
		t.Fatalf("sending logs over OTLP/HTTP: %v", err)
	}
}
