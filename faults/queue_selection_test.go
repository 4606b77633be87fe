//go:build long

package faults

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// TestQueueOnDiskHoldsOnlySpansToSend sends LLM spans and a span that is no
// LLM call (an HTTP server span, which spans.export: llm never sends) in one
// request while Helicone is down, kills the collector, and searches its
// file_storage directory: the LLM spans must be there, waiting to be sent,
// and the other span must not be, since nothing would ever send it. Queue
// space and disk go only to what Helicone will get.
func TestQueueOnDiskHoldsOnlySpansToSend(t *testing.T) {
	l := startLedger(t, 1)
	l.setFaults(1, 0) // Helicone is down throughout
	opts, queueDir := splitQueueOptions(t, l.url)
	col := otelcoltest.StartT(t, opts)

	src := otelcoltest.NewSpanSource(7200)
	rs, _ := src.Batch(5)
	src.AddContext(rs, 256)
	llmText := rs.ScopeSpans[0].Spans[0].Attributes[len(rs.ScopeSpans[0].Spans[0].Attributes)-1].GetValue().GetStringValue()
	marker := fmt.Sprintf("not-for-helicone-%d", time.Now().UnixNano())
	rs.ScopeSpans = append(rs.ScopeSpans, &tracepb.ScopeSpans{
		Scope: &commonpb.InstrumentationScope{Name: "net/http"},
		Spans: []*tracepb.Span{httpServerSpan(marker)},
	})
	client, err := otelcoltest.NewClient(testContext(t, 10*time.Second), llmspans.GRPC, col.Ports().GRPC, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(testContext(t, 5*time.Second)) }()
	if err := client.UploadTraces(testContext(t, 10*time.Second), []*tracepb.ResourceSpans{rs}); err != nil {
		t.Fatalf("the collector refused the spans: %v", err)
	}
	// Two failed attempts: the batch is in the queue and being retried.
	if err := waitForStatus(testContext(t, 30*time.Second), l, http.StatusServiceUnavailable, 2); err != nil {
		t.Fatal(err)
	}
	l.kill(col)

	stored := storedBytes(t, queueDir)
	if !bytes.Contains(stored, []byte(llmText)) {
		t.Fatalf("the LLM spans are not in %s (%d bytes): the queue is not on disk, so this test proves nothing", queueDir, len(stored))
	}
	if bytes.Contains(stored, []byte(marker)) {
		t.Errorf("the non-LLM span (attribute faults.marker=%s) is in the queue on disk: spans are selected after the queue, so spans that will never be sent take queue space and disk", marker)
	}
}

// httpServerSpan is a span of an HTTP server, no LLM call, carrying marker.
func httpServerSpan(marker string) *tracepb.Span {
	now := time.Now()
	return &tracepb.Span{
		TraceId:           []byte{0x7a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
		SpanId:            []byte{0x7a, 1, 2, 3, 4, 5, 6, 7},
		Name:              "GET /healthz",
		Kind:              tracepb.Span_SPAN_KIND_SERVER,
		StartTimeUnixNano: uint64(now.Add(-3 * time.Millisecond).UnixNano()),
		EndTimeUnixNano:   uint64(now.UnixNano()),
		Attributes: []*commonpb.KeyValue{
			{Key: "http.request.method", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "GET"}}},
			{Key: "faults.marker", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: marker}}},
		},
	}
}

// storedBytes are the contents of every file under dir, concatenated.
func storedBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all = append(all, b...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}
