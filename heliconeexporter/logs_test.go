// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/logjoin"
)

// logsHarness is one exporter created, as the collector does, for a traces
// and a logs pipeline before it starts; without a queue, so that what a
// consume sends has reached the fake Helicone when it returns.
type logsHarness struct {
	*harness
	logs   exporter.Logs
	shared *sharedExporter
	clock  *fakeClock
}

func newLogsHarness(t *testing.T, configure func(*Config)) *logsHarness {
	t.Helper()
	h := &harness{server: helicone.New(helicone.Options{APIKey: testKey}), telemetry: componenttest.NewTelemetry()}
	ts := httptest.NewServer(h.server)
	t.Cleanup(ts.Close)
	cfg := defaultConfig()
	cfg.ClientConfig.Endpoint = ts.URL
	cfg.APIKey = testKey
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.RetryConfig.Enabled = false
	if configure != nil {
		configure(cfg)
	}
	require.NoError(t, confmap.Validate(cfg))

	set := exportertest.NewNopSettings(typ)
	set.TelemetrySettings = h.telemetry.NewTelemetrySettings()
	ctx := context.Background()
	traces, err := NewFactory().CreateTraces(ctx, set, cfg)
	require.NoError(t, err)
	logs, err := NewFactory().CreateLogs(ctx, set, cfg)
	require.NoError(t, err)
	h.exp = traces
	lh := &logsHarness{harness: h, logs: logs, shared: sharedOf(cfg), clock: &fakeClock{}}
	lh.shared.now = lh.clock.now

	host := componenttest.NewNopHost()
	require.NoError(t, traces.Start(ctx, host))
	require.NoError(t, logs.Start(ctx, host))
	t.Cleanup(func() {
		assert.NoError(t, logs.Shutdown(ctx))
		assert.NoError(t, traces.Shutdown(ctx))
		assert.NoError(t, h.telemetry.Shutdown(ctx))
	})
	return lh
}

func sharedOf(cfg *Config) *sharedExporter {
	components.mu.Lock()
	defer components.mu.Unlock()
	return components.byConfig[cfg]
}

// fakeClock moves only when told; the expiry ticker reads it meanwhile.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// contentlessChat is a chat span as opentelemetry-instrumentation-openai-v2
// exports it when content goes to log records.
func contentlessChat(n byte) ptrace.Traces {
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetTraceID(pcommon.TraceID{1, n})
	span.SetSpanID(pcommon.SpanID{2, n})
	span.SetName("chat gpt-4o-mini")
	span.SetStartTimestamp(pcommon.Timestamp(1_700_000_000_000_000_000))
	span.SetEndTimestamp(pcommon.Timestamp(1_700_000_001_000_000_000))
	a := span.Attributes()
	a.PutStr("gen_ai.operation.name", "chat")
	a.PutStr("gen_ai.system", "openai")
	a.PutStr("gen_ai.request.model", "gpt-4o-mini")
	a.PutStr("gen_ai.response.model", "gpt-4o-mini")
	return td
}

// genAIRecords are the records of span n's call: a question and its answer,
// with a log line of the application in between.
func genAIRecords(n byte, question, answer string) plog.Logs {
	ld := plog.NewLogs()
	recs := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	add := func(event string, body map[string]any) {
		r := recs.AppendEmpty()
		r.SetTraceID(pcommon.TraceID{1, n})
		r.SetSpanID(pcommon.SpanID{2, n})
		r.SetTimestamp(pcommon.Timestamp(1_700_000_000_000_000_000 + recs.Len()))
		r.SetEventName(event)
		if err := r.Body().FromRaw(body); err != nil {
			panic(err)
		}
	}
	add(logjoin.EventUserMessage, map[string]any{"content": question})
	app := recs.AppendEmpty()
	app.SetTraceID(pcommon.TraceID{1, n})
	app.SetSpanID(pcommon.SpanID{2, n})
	app.Body().SetStr("calling the model")
	add(logjoin.EventChoice, map[string]any{"index": 0, "finish_reason": "stop",
		"message": map[string]any{"role": "assistant", "content": answer}})
	return ld
}

func TestTracesAndLogsShareOneExporter(t *testing.T) {
	ctx := context.Background()
	set := exportertest.NewNopSettings(typ)
	cfg, other := defaultConfig(), defaultConfig()
	cfg.APIKey, other.APIKey = testKey, testKey
	traces, err := NewFactory().CreateTraces(ctx, set, cfg)
	require.NoError(t, err)
	logs, err := NewFactory().CreateLogs(ctx, set, cfg)
	require.NoError(t, err)
	otherTraces, err := NewFactory().CreateTraces(ctx, set, other)
	require.NoError(t, err)

	shared := sharedOf(cfg)
	require.NotNil(t, shared)
	assert.Same(t, shared, logs.(logsExporter).sharedExporter, "the logs pipeline feeds the traces pipeline's joiner")
	assert.Same(t, shared.entry, traces)
	assert.True(t, shared.logs)
	assert.NotSame(t, shared, sharedOf(other), "another configuration is another exporter")
	assert.False(t, sharedOf(other).logs)

	require.NoError(t, traces.Shutdown(ctx))
	require.NoError(t, logs.Shutdown(ctx), "the second shutdown is a no-op")
	require.NoError(t, otherTraces.Shutdown(ctx))
	assert.Nil(t, sharedOf(cfg), "a new configuration (a reload) gets a new exporter")
}

func TestLogRecordsCompleteTheirSpan(t *testing.T) {
	h := newLogsHarness(t, nil)
	ctx := context.Background()
	require.NoError(t, h.exp.ConsumeTraces(ctx, contentlessChat(1)))
	assert.Empty(t, h.server.Calls(), "the span without content waits for its records")
	assert.Equal(t, 1, h.shared.joiner.Load().Stats().HeldSpans)

	require.NoError(t, h.logs.ConsumeLogs(ctx, genAIRecords(1, "What is OpenTelemetry?", "A set of APIs.")))
	calls := h.server.Calls()
	require.Len(t, calls, 1, "the answer completes the call")
	assert.Equal(t, []helicone.Message{{Role: "user", Content: "What is OpenTelemetry?"}}, calls[0].Messages)
	require.Len(t, calls[0].Choices, 1)
	assert.Equal(t, "A set of APIs.", calls[0].Choices[0].Content)

	require.NoError(t, h.logs.Shutdown(ctx))
	assert.Len(t, h.server.Calls(), 1, "sent once")
	assert.Equal(t, int64(2), h.counter(t, "otelcol_exporter_helicone_joined_log_records", ""))
	assert.Equal(t, int64(1), h.counter(t, "otelcol_exporter_helicone_waited_spans", "complete"))
	assert.Equal(t, int64(1), h.counter(t, "otelcol_exporter_helicone_dropped_log_records", "not_genai_content"),
		"the application's own log line is ignored and counted")
}

func TestSpansDoNotWaitWithoutALogsPipeline(t *testing.T) {
	h := newHarness(t, helicone.Options{APIKey: testKey}, nil)
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), contentlessChat(1)))
	assert.Len(t, h.server.Calls(), 1, "no records can come, so the span goes at once")
}

func TestNothingWaitsPastMaxWait(t *testing.T) {
	h := newLogsHarness(t, func(c *Config) { c.Logs.MaxWait = 5 * time.Second })
	ctx := context.Background()
	require.NoError(t, h.exp.ConsumeTraces(ctx, contentlessChat(1)))
	require.NoError(t, h.logs.ConsumeLogs(ctx, genAIRecords(9, "a question whose span never comes", "")))

	h.clock.advance(5*time.Second - time.Nanosecond)
	h.shared.expire(ctx)
	assert.Empty(t, h.server.Calls(), "not before max_wait")
	h.clock.advance(time.Nanosecond)
	h.shared.expire(ctx)
	calls := h.server.Calls()
	require.Len(t, calls, 1, "the span goes without its records at max_wait")
	assert.Empty(t, calls[0].Messages)
	assert.Equal(t, int64(1), h.counter(t, "otelcol_exporter_helicone_waited_spans", "expired"))
	assert.Equal(t, int64(2), h.counter(t, "otelcol_exporter_helicone_dropped_log_records", "expired"), "the orphan records are dropped and counted")
	assert.Zero(t, h.shared.joiner.Load().Stats().HeldBytes)
}

func TestShutdownFlushesHeldSpans(t *testing.T) {
	h := newLogsHarness(t, nil)
	ctx := context.Background()
	require.NoError(t, h.exp.ConsumeTraces(ctx, contentlessChat(1)))
	require.NoError(t, h.logs.ConsumeLogs(ctx, genAIRecords(9, "orphan", "orphan")))
	require.Empty(t, h.server.Calls())

	require.NoError(t, h.exp.Shutdown(ctx))
	assert.Len(t, h.server.Calls(), 1, "nothing held is lost")
	assert.Equal(t, int64(1), h.counter(t, "otelcol_exporter_helicone_waited_spans", "flushed"))
	assert.Equal(t, int64(2), h.counter(t, "otelcol_exporter_helicone_dropped_log_records", "shutdown"))
}

// With api_key_from a held span would lose its request's key, so nothing waits.
func TestNoJoinWithAPIKeyFrom(t *testing.T) {
	h := newLogsHarness(t, func(c *Config) {
		c.APIKeyFrom = APIKeyFromConfig{MetadataKey: "x-helicone-api-key", WhenMissing: missingUseAPIKey}
	})
	ctx := context.Background()
	require.NoError(t, h.exp.ConsumeTraces(ctx, contentlessChat(1)))
	assert.Len(t, h.server.Calls(), 1)
	require.NoError(t, h.logs.ConsumeLogs(ctx, genAIRecords(1, "q", "a")))
	assert.Equal(t, int64(3), h.counter(t, "otelcol_exporter_helicone_dropped_log_records", "api_key_from"))
}

func TestLogsConfig(t *testing.T) {
	cfg := defaultConfig()
	assert.Equal(t, LogsConfig{MaxWait: 10 * time.Second, MaxItems: 10_000, MaxBytes: 64 << 20}, cfg.Logs)

	cm := confmap.NewFromStringMap(map[string]any{"api_key": testKey, "logs": map[string]any{"max_wait": "5s", "max_items": 100, "max_bytes": 1 << 20}})
	require.NoError(t, cm.Unmarshal(cfg))
	assert.Equal(t, LogsConfig{MaxWait: 5 * time.Second, MaxItems: 100, MaxBytes: 1 << 20}, cfg.Logs)
	require.NoError(t, confmap.Validate(cfg))

	cfg.Logs = LogsConfig{MaxWait: 0, MaxItems: -1, MaxBytes: 0}
	err := confmap.Validate(cfg)
	require.Error(t, err)
	for _, want := range []string{"logs: max_wait: 0s must be positive, e.g. 10s", "; max_items:", "; max_bytes:"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestWarnsWhenOnlyALogsPipelineUsesTheExporter(t *testing.T) {
	core, logged := observer.New(zap.WarnLevel)
	set := exportertest.NewNopSettings(typ)
	set.Logger = zap.New(core)
	cfg := defaultConfig()
	cfg.APIKey = testKey
	logs, err := NewFactory().CreateLogs(context.Background(), set, cfg)
	require.NoError(t, err)
	require.NoError(t, logs.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, logs.Shutdown(context.Background()))
	require.Equal(t, 1, logged.FilterMessageSnippet("in no traces pipeline").Len(), "the fix is named: add it to your traces pipeline")
}
