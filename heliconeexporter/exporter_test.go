// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

const testKey = "sk-helicone-test-0123456789"

// harness is a real exporter posting to a real fake Helicone over HTTP.
type harness struct {
	exp       exporter.Traces
	server    *helicone.Server
	telemetry *componenttest.Telemetry
	logs      *observer.ObservedLogs
	conns     atomic.Int32
}

// newHarness starts the fake server and an exporter without a queue, so that
// ConsumeTraces returns what the send path returned; retries are off unless
// configure turns them on.
func newHarness(t testing.TB, opts helicone.Options, configure func(*Config)) *harness {
	t.Helper()
	h := &harness{server: helicone.New(opts), telemetry: componenttest.NewTelemetry()}
	ts := httptest.NewUnstartedServer(h.server)
	ts.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			h.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)

	cfg := defaultConfig()
	cfg.ClientConfig.Endpoint = ts.URL
	cfg.APIKey = testKey
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.RetryConfig.Enabled = false
	cfg.RetryConfig.InitialInterval = time.Millisecond
	cfg.RetryConfig.MaxInterval = 5 * time.Millisecond
	if configure != nil {
		configure(cfg)
	}
	require.NoError(t, confmap.Validate(cfg))

	core, logs := observer.New(zap.DebugLevel)
	set := exportertest.NewNopSettings(typ)
	set.TelemetrySettings = h.telemetry.NewTelemetrySettings()
	set.Logger = zap.New(core)
	h.logs = logs
	exp, err := NewFactory().CreateTraces(context.Background(), set, cfg)
	require.NoError(t, err)
	require.NoError(t, exp.Start(context.Background(), componenttest.NewNopHost()))
	h.exp = exp
	t.Cleanup(func() {
		assert.NoError(t, exp.Shutdown(context.Background()))
		assert.NoError(t, h.telemetry.Shutdown(context.Background()))
	})
	return h
}

// droppedSpans reads otelcol_exporter_helicone_dropped_spans for a reason.
func (h *harness) droppedSpans(t *testing.T, reason string) int64 {
	t.Helper()
	return h.counter(t, "otelcol_exporter_helicone_dropped_spans", reason)
}

// counter reads one of the exporter's counters for a reason; 0 when never recorded.
func (h *harness) counter(t *testing.T, name, reason string) int64 {
	t.Helper()
	m, err := h.telemetry.GetMetric(name)
	if err != nil {
		return 0
	}
	var total int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if v, _ := dp.Attributes.Value("reason"); v.AsString() == reason {
			total += dp.Value
		}
	}
	return total
}

// allLogText renders every log entry with its fields, for searching.
func (h *harness) allLogText() string {
	var sb strings.Builder
	for _, e := range h.logs.All() {
		fmt.Fprintf(&sb, "%s %s %v\n", e.Level, e.Message, e.ContextMap())
	}
	return sb.String()
}

// llmTraces builds n LLM-shaped spans whose prompts are about size bytes each.
func llmTraces(n, size int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "chat-api")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@traceloop/instrumentation-openai")
	for i := range n {
		span := ss.Spans().AppendEmpty()
		span.SetTraceID(pcommon.TraceID{1, byte(i >> 8), byte(i)})
		span.SetSpanID(pcommon.SpanID{2, byte(i >> 8), byte(i)})
		span.SetName("openai.chat")
		span.SetStartTimestamp(pcommon.Timestamp(1_700_000_000_000_000_000 + i))
		span.SetEndTimestamp(pcommon.Timestamp(1_700_000_001_000_000_000 + i))
		a := span.Attributes()
		a.PutStr("gen_ai.system", "openai")
		a.PutStr("llm.request.type", "chat")
		a.PutStr("gen_ai.request.model", "gpt-4o-mini")
		a.PutStr("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
		a.PutStr("gen_ai.prompt.0.role", "user")
		a.PutStr("gen_ai.prompt.0.content", strings.Repeat("Ünïcode \"quoted\"\nline ", size/22+1)[:size])
		a.PutStr("gen_ai.completion.0.role", "assistant")
		a.PutStr("gen_ai.completion.0.content", "Sure.")
		a.PutInt("gen_ai.usage.prompt_tokens", 12)
		a.PutInt("gen_ai.usage.completion_tokens", 3)
	}
	return td
}

func TestSendStatusCodes(t *testing.T) {
	tests := []struct {
		status    int
		body      string
		permanent bool
		ok        bool
		wantText  []string
	}{
		{status: 200, ok: true},
		{status: 202, ok: true},
		{status: 204, ok: true},
		{status: 401, permanent: true, body: `{"error":"Unauthorized"}`, wantText: []string{"401", "read and write permission", "Unauthorized"}},
		{status: 403, permanent: true, wantText: []string{"403", "permission"}},
		{status: 400, permanent: true, body: "Invalid token.", wantText: []string{"400", "authentication", "Invalid token."}},
		{status: 404, permanent: true, wantText: []string{"404", "base URL"}},
		{status: 422, permanent: true, body: `{"message":"Validation Failed","details":{"requestBody.resourceSpans[0].x":{"message":"\"x\" is an excess property"}}}`,
			wantText: []string{"422", "Validation Failed", "excess property"}},
		{status: 418, permanent: true, wantText: []string{"418"}},
		{status: 408, wantText: []string{"408"}},
		{status: 429, wantText: []string{"429"}},
		{status: 500, wantText: []string{"500"}},
		{status: 502, wantText: []string{"502"}},
		{status: 503, wantText: []string{"503"}},
		{status: 504, wantText: []string{"504"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			h := newHarness(t, helicone.Options{Faults: helicone.Faults{
				FailCount: helicone.Always,
				Fail:      helicone.Failure{Status: tt.status, Body: tt.body},
			}}, nil)
			err := h.exp.ConsumeTraces(context.Background(), llmTraces(2, 100))
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.permanent, consumererror.IsPermanent(err), err.Error())
			for _, want := range tt.wantText {
				assert.Contains(t, err.Error(), want)
			}
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestSendLongDetailsAreCut(t *testing.T) {
	h := newHarness(t, helicone.Options{Faults: helicone.Faults{
		FailCount: helicone.Always,
		Fail:      helicone.Failure{Status: 422, Body: strings.Repeat("é", 10_000)},
	}}, nil)
	err := h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 2*1024, "internal/send keeps 1 KiB of the details")
	assert.Contains(t, err.Error(), "(truncated)")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for name, value := range map[string]string{
		"seconds":  "30",
		"overflow": "9223372037", // seconds beyond time.Duration

		"http-date": time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat),
	} {
		t.Run(name, func(t *testing.T) {
			// The retry budget is shorter than Retry-After: honouring it means giving
			// up at once instead of retrying after the 1ms backoff.
			h := newHarness(t, helicone.Options{Faults: helicone.Faults{
				FailCount: 1,
				Fail:      helicone.Failure{Status: 429, RetryAfter: value},
			}}, func(cfg *Config) {
				cfg.RetryConfig.Enabled = true
				cfg.RetryConfig.MaxElapsedTime = 5 * time.Second
			})
			err := h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10))
			require.ErrorContains(t, err, "no more retries left")
			assert.Equal(t, 1, h.server.Attempts())
		})
	}
	t.Run("without Retry-After the backoff retries", func(t *testing.T) {
		h := newHarness(t, helicone.Options{Faults: helicone.Faults{
			FailCount: 1,
			Fail:      helicone.Failure{Status: 429},
		}}, func(cfg *Config) {
			cfg.RetryConfig.Enabled = true
			cfg.RetryConfig.MaxElapsedTime = 5 * time.Second
		})
		require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10)))
		assert.Equal(t, 2, h.server.Attempts())
		assert.Equal(t, 1, h.server.UniqueSpans())
	})
}

func TestRequestHeadersAndCompression(t *testing.T) {
	for _, compression := range []configcompression.Type{configcompression.TypeGzip, configcompression.TypeDeflate, "none"} {
		t.Run(string(compression), func(t *testing.T) {
			h := newHarness(t, helicone.Options{APIKey: testKey}, func(cfg *Config) {
				cfg.ClientConfig.Compression = compression
			})
			require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(5, 2000)))
			reqs := h.server.Requests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.NotEmpty(t, r.Header.Get("User-Agent"))
			if compression == "none" {
				assert.Empty(t, r.Header.Get("Content-Encoding"))
				assert.Equal(t, len(r.Body), r.WireBytes)
			} else {
				assert.Equal(t, string(compression), r.Header.Get("Content-Encoding"))
				assert.Less(t, r.WireBytes, len(r.Body)/2, "the body is compressed")
			}
			assert.Equal(t, 5, h.server.UniqueSpans())
		})
	}
}

func TestSplitByMaxRequestSize(t *testing.T) {
	h := newHarness(t, helicone.Options{}, func(cfg *Config) { cfg.MaxRequestSize = minRequestSize })
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(40, 2000)))
	reqs := h.server.Requests()
	assert.Greater(t, len(reqs), 4)
	for _, r := range reqs {
		assert.LessOrEqual(t, len(r.Body), minRequestSize)
	}
	assert.Equal(t, 40, h.server.UniqueSpans())
	assert.Zero(t, h.server.Duplicates())
}

func TestSplitOn413(t *testing.T) {
	// An ingress in front of Helicone with a far smaller limit than max_request_size.
	h := newHarness(t, helicone.Options{MaxBodyBytes: 8 * 1024, TooLargeStatus: http.StatusRequestEntityTooLarge}, nil)
	td := llmTraces(20, 1000)
	huge := llmTraces(1, 20_000).ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	huge.SetSpanID(pcommon.SpanID{9, 9, 9})
	huge.CopyTo(td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().AppendEmpty())

	require.NoError(t, h.exp.ConsumeTraces(context.Background(), td))
	assert.Equal(t, 20, h.server.UniqueSpans(), "every span that fits arrives")
	assert.Zero(t, h.server.Duplicates())
	assert.Equal(t, int64(1), h.droppedSpans(t, "too_large"), "the span too large alone is dropped and counted")
	logs := h.allLogText()
	assert.Contains(t, logs, "answered 413; splitting")
	assert.Contains(t, logs, "Dropping a span Helicone cannot take")
}

func TestSpanLargerThanMaxRequestSizeIsDropped(t *testing.T) {
	h := newHarness(t, helicone.Options{}, func(cfg *Config) { cfg.MaxRequestSize = minRequestSize })
	td := llmTraces(3, 100)
	llmTraces(1, 2*minRequestSize).ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).
		CopyTo(td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().AppendEmpty())
	td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(3).SetSpanID(pcommon.SpanID{7})
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), td))
	assert.Equal(t, 3, h.server.UniqueSpans())
	assert.Equal(t, int64(1), h.droppedSpans(t, "too_large"))
}

func TestPartialFailureRetriesOnlyUnsentSpans(t *testing.T) {
	var srv *helicone.Server
	var logged atomic.Int32
	opts := helicone.Options{OnLog: func(helicone.Request) {
		if logged.Add(1) == 2 {
			// The third request of the split batch fails once.
			srv.SetFaults(helicone.Faults{FailCount: 1, Fail: helicone.Failure{Status: 503}})
		}
	}}
	h := newHarness(t, opts, func(cfg *Config) {
		cfg.MaxRequestSize = minRequestSize
		cfg.RetryConfig.Enabled = true
	})
	srv = h.server
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(30, 2000)))
	assert.Equal(t, 30, h.server.UniqueSpans())
	assert.Zero(t, h.server.Duplicates(), "spans Helicone stored before the failure are not sent again")
	assert.Greater(t, h.server.Attempts(), len(h.server.Requests()), "one request failed and was retried")
}

func TestConnectionsAreReused(t *testing.T) {
	h := newHarness(t, helicone.Options{Faults: helicone.Faults{
		FailCount: helicone.Always,
		Fail:      helicone.Failure{Status: 422, Body: strings.Repeat("x", 16*1024)},
	}}, nil)
	for range 5 {
		require.Error(t, h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10)))
	}
	assert.Equal(t, int32(1), h.conns.Load(), "error bodies are drained, so one connection serves every request")
}

func TestKeyNeverLogged(t *testing.T) {
	h := newHarness(t, helicone.Options{APIKey: "another-key"}, func(cfg *Config) {
		cfg.RetryConfig.Enabled = true
		cfg.RetryConfig.MaxElapsedTime = 50 * time.Millisecond
	})
	require.Error(t, h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10)))
	h.server.SetFaults(helicone.Faults{FailCount: helicone.Always, Fail: helicone.Failure{Status: 500}})
	require.Error(t, h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10)))
	logs := h.allLogText()
	assert.NotEmpty(t, logs)
	assert.NotContains(t, logs, testKey)
	assert.NotContains(t, logs, "0123456789")
}

func TestWarnsWhenKeyWouldCrossTheNetworkInClear(t *testing.T) {
	for endpoint, warns := range map[string]bool{"http://helicone.internal:8585": true, "http://127.0.0.1:8585": false} {
		cfg := defaultConfig()
		cfg.ClientConfig.Endpoint = endpoint
		cfg.APIKey = testKey
		core, logs := observer.New(zap.DebugLevel)
		set := exportertest.NewNopSettings(typ)
		set.Logger = zap.New(core)
		exp, err := NewFactory().CreateTraces(context.Background(), set, cfg)
		require.NoError(t, err)
		require.NoError(t, exp.Start(context.Background(), componenttest.NewNopHost()))
		require.NoError(t, exp.Shutdown(context.Background()))
		warnings := logs.FilterMessageSnippet("plain http").All()
		assert.Equal(t, warns, len(warnings) == 1, endpoint)
		for _, w := range warnings {
			assert.NotContains(t, fmt.Sprint(w.ContextMap()), testKey)
		}
	}
}

func TestKeyEchoedByAProxyIsRedacted(t *testing.T) {
	h := newHarness(t, helicone.Options{Faults: helicone.Faults{
		FailCount: helicone.Always,
		Fail:      helicone.Failure{Status: 502, Body: "bad gateway; request had Authorization: Bearer " + testKey},
	}}, nil)
	err := h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testKey)
	assert.Contains(t, err.Error(), "Bearer [REDACTED]")
}

func TestRepairsAreCountedOncePerSpan(t *testing.T) {
	// A proxy answers 413 to the whole batch and Helicone fails one request of the
	// split: spans are encoded again for the smaller requests and for the retry.
	var srv *helicone.Server
	var logged atomic.Int32
	opts := helicone.Options{MaxBodyBytes: 8 * 1024, TooLargeStatus: http.StatusRequestEntityTooLarge, OnLog: func(helicone.Request) {
		if logged.Add(1) == 2 {
			srv.SetFaults(helicone.Faults{FailCount: 1, Fail: helicone.Failure{Status: 503}})
		}
	}}
	h := newHarness(t, opts, func(cfg *Config) { cfg.RetryConfig.Enabled = true })
	srv = h.server
	td := llmTraces(20, 1000)
	spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	for i := range spans.Len() {
		spans.At(i).Attributes().PutBool("stream", true)
	}
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), td))
	require.Equal(t, 20, h.server.UniqueSpans())
	require.Greater(t, h.server.Attempts(), len(h.server.Requests()), "one request failed and was retried")
	assert.Equal(t, int64(20), h.counter(t, "otelcol_exporter_helicone_repaired_attributes", "bool"), "one bool per span")
}

func TestDroppedSpanLogNamesItsSizeAndIDs(t *testing.T) {
	h := newHarness(t, helicone.Options{}, func(cfg *Config) { cfg.MaxRequestSize = minRequestSize })
	td := llmTraces(1, 3*minRequestSize)
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), td))
	drops := h.logs.FilterMessageSnippet("Dropping a span").All()
	require.Len(t, drops, 1)
	fields := drops[0].ContextMap()
	assert.Greater(t, fields["bytes"], int64(3*minRequestSize), "the span's own encoded size, not the limit")
	assert.Equal(t, int64(minRequestSize), fields["max_request_size"])
	assert.Equal(t, span.TraceID().String(), fields["trace_id"])
	assert.Equal(t, span.SpanID().String(), fields["span_id"])
}
