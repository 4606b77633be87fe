//go:build faults

package faults

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// badInput is one request that tries to break the collector or make it send
// Helicone something it rejects.
type badInput struct {
	name   string
	traces ptrace.Traces
	// arrives lists the spans that must reach Helicone.
	arrives []otelcoltest.SpanID
}

func badInputs() []badInput {
	var inputs []badInput
	add := func(name string, seed byte, mutate func(ptrace.Span), arrives bool) {
		td, span := llmSpan(seed)
		mutate(span)
		in := badInput{name: name, traces: td}
		if arrives {
			in.arrives = []otelcoltest.SpanID{idOf(span)}
		}
		inputs = append(inputs, in)
	}
	add("3 MB prompt", 1, func(s ptrace.Span) {
		s.Attributes().PutStr("gen_ai.prompt.1.role", "user")
		s.Attributes().PutStr("gen_ai.prompt.1.content", strings.Repeat("Tell me more about the incident. ", 3<<20/32))
	}, true)
	add("8 MB completion, over max_request_size", 2, func(s ptrace.Span) {
		s.Attributes().PutStr("gen_ai.completion.0.content", strings.Repeat("A very long answer \"quoted\" \\ and\tescaped.\n", 8<<20/44))
	}, false)
	// 30 deep: since v1.71 pdata refuses OTLP nested past proto.RecursionLimit
	// (100 messages, 3 a map level, so 32 maps), and the receiver answers 400.
	add("map nested 30 deep", 3, func(s ptrace.Span) {
		m := s.Attributes().PutEmptyMap("llm.request.functions")
		for depth := range 30 {
			m.PutStr("name", fmt.Sprintf("level-%d", depth))
			m.PutInt("depth", int64(depth))
			m = m.PutEmptyMap("nested")
		}
		s.Attributes().PutEmptySlice("tags").AppendEmpty().SetEmptyMap().PutEmptySlice("inner").AppendEmpty().SetEmptySlice().AppendEmpty().SetStr("deep")
	}, true)
	add("invalid UTF-8", 4, func(s ptrace.Span) {
		s.SetName("openai.chat \xff\xfe")
		s.Attributes().PutStr("gen_ai.prompt.0.content", "caf\xc3 \xed\xa0\x80 surrogate, \xc0\xaf overlong, \x00 NUL, \x1b escape")
		s.Attributes().PutStr("bad.key.\xe2\x82", "value")
		s.Attributes().PutStr("gen_ai.response.model", "gpt-4o\x80")
	}, true)
	add("NaN and infinite doubles", 5, func(s ptrace.Span) {
		s.Attributes().PutDouble("gen_ai.request.temperature", math.NaN())
		s.Attributes().PutDouble("gen_ai.request.top_p", math.Inf(1))
		s.Attributes().PutDouble("gen_ai.request.frequency_penalty", math.Inf(-1))
		s.Attributes().PutDouble("gen_ai.request.presence_penalty", -0.0)
		s.Attributes().PutDouble("llm.tiny", math.SmallestNonzeroFloat64)
		s.Attributes().PutDouble("llm.huge", math.MaxFloat64)
		s.Attributes().PutEmptySlice("llm.doubles").FromRaw([]any{math.NaN(), math.Inf(1), 1.5})
	}, true)
	add("10,000 attributes", 6, func(s ptrace.Span) {
		for i := range 10_000 {
			s.Attributes().PutStr(fmt.Sprintf("app.attribute.%05d", i), fmt.Sprintf("value %d", i))
		}
	}, true)
	add("empty trace and span ids", 7, func(s ptrace.Span) {
		s.SetTraceID(pcommon.TraceID{})
		s.SetSpanID(pcommon.SpanID{})
		s.SetParentSpanID(pcommon.SpanID{})
	}, false)
	add("zero start time", 8, func(s ptrace.Span) {
		s.SetStartTimestamp(0)
	}, true)
	add("end before start", 10, func(s ptrace.Span) {
		s.SetEndTimestamp(s.StartTimestamp() - pcommon.Timestamp(time.Hour))
	}, true)
	add("empty attribute keys and values", 9, func(s ptrace.Span) {
		s.Attributes().PutStr("", "empty key")
		s.Attributes().PutStr("gen_ai.prompt.0.content", "")
		s.Attributes().PutEmpty("llm.empty")
		s.Attributes().PutEmptyBytes("llm.bytes").FromRaw([]byte{0, 1, 2, 0xff})
	}, true)

	empty := ptrace.NewTraces()
	inputs = append(inputs, badInput{name: "zero spans", traces: empty})
	noSpans := ptrace.NewTraces()
	noSpans.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Scope().SetName("opentelemetry.instrumentation.openai")
	noSpans.ResourceSpans().AppendEmpty()
	inputs = append(inputs, badInput{name: "resource and scope without spans", traces: noSpans})
	return inputs
}

// llmSpan is a trace of one LLM span as OpenLLMetry records a chat call, its
// ids made from seed.
func llmSpan(seed byte) (ptrace.Traces, ptrace.Span) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "bad-input")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("opentelemetry.instrumentation.openai")
	s := ss.Spans().AppendEmpty()
	s.SetTraceID(pcommon.TraceID{0xba, 0xd1, 0x0b, 0x07, 15: seed})
	s.SetSpanID(pcommon.SpanID{0xba, 0xd1, 7: seed})
	s.SetName("openai.chat")
	s.SetKind(ptrace.SpanKindClient)
	end := time.Now()
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(end.Add(-800 * time.Millisecond)))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(end))
	a := s.Attributes()
	a.PutStr("gen_ai.system", "openai")
	a.PutStr("llm.request.type", "chat")
	a.PutStr("gen_ai.request.model", "gpt-4o-mini")
	a.PutStr("gen_ai.prompt.0.role", "user")
	a.PutStr("gen_ai.prompt.0.content", "Is my deployment stuck?")
	a.PutStr("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
	a.PutStr("gen_ai.completion.0.role", "assistant")
	a.PutStr("gen_ai.completion.0.content", "It is waiting for capacity.")
	a.PutInt("gen_ai.usage.prompt_tokens", 12)
	a.PutInt("gen_ai.usage.completion_tokens", 9)
	return td, s
}

func idOf(s ptrace.Span) otelcoltest.SpanID {
	tid, sid := s.TraceID(), s.SpanID()
	return otelcoltest.SpanID(hex.EncodeToString(tid[:]) + "/" + hex.EncodeToString(sid[:]))
}

// TestBadInput sends spans made to hurt: attributes of megabytes, maps
// nested 30 deep, invalid UTF-8, NaN and infinite doubles, empty ids,
// 10,000 attributes, and requests without spans. The collector must accept
// each request, stay up, send Helicone only bodies it accepts (the fake
// endpoint validates every one against Helicone's schema and would answer
// 422), deliver every span it can, count the one too large to send as
// dropped, and still deliver ordinary spans afterwards.
func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := startEndpoint(t, helicone.Faults{})
	col := startCollector(t, heliconeConfig(srv.baseURL(), 10*time.Second, ""))

	var want []otelcoltest.SpanID
	for _, in := range badInputs() {
		body, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(in.traces)
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		status, answer := postOTLP(t, col.Ports().HTTP, body)
		if status != http.StatusOK {
			t.Errorf("%s: the collector answered %d: %s", in.name, status, answer)
		}
		if !col.Running() {
			t.Fatalf("%s: the collector exited: %v", in.name, col.ExitError())
		}
		want = append(want, in.arrives...)
	}
	// Ordinary spans still go through, after everything above.
	want = append(want, sendSpans(t, col, 20, 3000)...)
	if err := srv.waitForIDs(testContext(t, 60*time.Second), want); err != nil {
		t.Fatal(err)
	}
	m, err := col.WaitForMetrics(testContext(t, 10*time.Second), func(m otelcoltest.Metrics) bool {
		return m.Sum(otelcoltest.HeliconeDropped, "reason", "too_large") >= 1
	})
	if err != nil {
		t.Errorf("the span over max_request_size was not counted in %s{reason=\"too_large\"}: %v", otelcoltest.HeliconeDropped, err)
	}
	if failed := m.Sum(otelcoltest.SendFailedSpans, "exporter", "helicone"); failed != 0 {
		t.Errorf("otelcol_exporter_send_failed_spans = %g, want 0", failed)
	}
	if r := srv.rejected(); len(r) > 0 {
		t.Errorf("Helicone rejected %d request(s):\n%s", len(r), strings.Join(r, "\n"))
	}
	for i, req := range srv.Requests() {
		if err := helicone.ValidateBody(req.Body); err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if err := col.Healthy(testContext(t, 5*time.Second)); err != nil {
		t.Errorf("health_check after the bad input: %v", err)
	}
	if panics := logLines(col, "panic"); len(panics) > 0 {
		t.Errorf("the collector logged a panic:\n%s", strings.Join(panics, "\n"))
	}
	t.Logf("Helicone logged %d spans in %d requests; collector: dropped too_large %g",
		srv.SpanCount(), len(srv.Requests()), m.Sum(otelcoltest.HeliconeDropped, "reason", "too_large"))
}

// postOTLP sends an OTLP/HTTP protobuf request, as a client that builds the
// bytes itself may (no UTF-8 check on the way).
func postOTLP(t *testing.T, addr string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t, 30*time.Second), http.MethodPost, "http://"+addr+"/v1/traces", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /v1/traces: %v", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(answer)
}
