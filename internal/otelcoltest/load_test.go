package otelcoltest

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// receiver is an OTLP/gRPC trace receiver that refuses every refuseEvery-th
// request and keeps the rest.
type receiver struct {
	ptraceotlp.UnimplementedGRPCServer
	refuseEvery int

	mu       sync.Mutex
	requests int
	spans    map[SpanID]int
	llm      int // spans with gen_ai attributes
}

func (r *receiver) Export(_ context.Context, req ptraceotlp.ExportRequest) (ptraceotlp.ExportResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if r.refuseEvery > 0 && r.requests%r.refuseEvery == 0 {
		return ptraceotlp.NewExportResponse(), status.Error(codes.Unavailable, "refused by the test")
	}
	rss := req.Traces().ResourceSpans()
	for i := range rss.Len() {
		sss := rss.At(i).ScopeSpans()
		for j := range sss.Len() {
			spans := sss.At(j).Spans()
			for k := range spans.Len() {
				s := spans.At(k)
				tid, sid := s.TraceID(), s.SpanID()
				r.spans[SpanID(hexID(tid[:])+"/"+hexID(sid[:]))]++
				_, sys := s.Attributes().Get("gen_ai.system")
				_, provider := s.Attributes().Get("gen_ai.provider.name")
				if sys || provider {
					r.llm++
				}
			}
		}
	}
	return ptraceotlp.NewExportResponse(), nil
}

func startReceiver(t *testing.T, refuseEvery int) (*receiver, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{refuseEvery: refuseEvery, spans: map[SpanID]int{}}
	s := grpc.NewServer()
	ptraceotlp.RegisterGRPCServer(s, r)
	go func() { _ = s.Serve(l) }()
	t.Cleanup(s.Stop)
	return r, l.Addr().String()
}

func hexID(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestLoadCountsWhatWasAcknowledged sends a fixed number of requests to a
// receiver that refuses every third one: the acknowledged ids must be
// exactly what the receiver kept, every span LLM-shaped and unique.
func TestLoadCountsWhatWasAcknowledged(t *testing.T) {
	r, addr := startReceiver(t, 3)
	res, err := Load{Endpoint: addr, Requests: 30, Workers: 3, SpansPerRequest: 20, Seed: 7, RecordIDs: true}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 30 || res.AckedRequests != 20 || res.AckedSpans != 400 || res.Spans != 600 {
		t.Fatalf("requests %d (acked %d), spans %d (acked %d); want 30 (20), 600 (400)", res.Requests, res.AckedRequests, res.Spans, res.AckedSpans)
	}
	if !strings.Contains(res.ErrorSummary(), "refused by the test") || res.Errors[errorKey(status.Error(codes.Unavailable, "refused by the test"))] != 10 {
		t.Errorf("errors counted wrong:\n%s", res.ErrorSummary())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(res.Acked) != len(r.spans) || r.llm != 400 {
		t.Fatalf("%d ids acknowledged, the receiver kept %d distinct spans, %d of them LLM", len(res.Acked), len(r.spans), r.llm)
	}
	for _, id := range res.Acked {
		if r.spans[id] != 1 {
			t.Fatalf("span %s acknowledged, received %d times", id, r.spans[id])
		}
	}
}

// TestLoadKeepsToItsRate sends at 2,000 spans/s for half a second: the
// schedule allows at most ten requests of 100 (plus one per worker
// starting at once), however fast the receiver is.
func TestLoadKeepsToItsRate(t *testing.T) {
	r, addr := startReceiver(t, 0)
	res, err := Load{Endpoint: addr, Rate: 2000, Duration: 500 * time.Millisecond, Workers: 2, SpansPerRequest: 100}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Requests > 12 {
		t.Errorf("%d requests in %s at 2,000 spans/s of 100 each; want 1 to 12", res.Requests, res.Elapsed)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if int64(len(r.spans)) != res.AckedSpans {
		t.Errorf("the receiver got %d spans, the load counted %d", len(r.spans), res.AckedSpans)
	}
}

// TestSpanSourceIsSeeded shows that a seed makes the same spans, another
// seed others, and that conventions filter the chats.
func TestSpanSourceIsSeeded(t *testing.T) {
	_, a := NewSpanSource(1).Batch(50)
	_, b := NewSpanSource(1).Batch(50)
	_, c := NewSpanSource(2).Batch(50)
	if strings.Join(ids(a), ",") != strings.Join(ids(b), ",") {
		t.Error("the same seed made different spans")
	}
	if a[0] == c[0] {
		t.Error("different seeds made the same span")
	}
	responseIDs := map[string]bool{}
	all, _ := NewSpanSource(3).Batch(200)
	for _, ss := range all.ScopeSpans {
		for _, s := range ss.Spans {
			for _, kv := range s.Attributes {
				if kv.Key == "gen_ai.response.id" {
					responseIDs[kv.Value.GetStringValue()] = true
				}
			}
		}
	}
	if len(responseIDs) != 200 {
		t.Errorf("%d distinct response ids among 200 spans: spans must not repeat", len(responseIDs))
	}
	rs, _ := NewSpanSource(1, llmspans.GenAISemconv).Batch(10)
	for _, ss := range rs.ScopeSpans {
		for _, s := range ss.Spans {
			if s.Attributes[0].Key != "gen_ai.provider.name" {
				t.Fatalf("a span in the GenAI conventions starts with %q", s.Attributes[0].Key)
			}
		}
	}
}

func ids(s []SpanID) []string {
	out := make([]string, len(s))
	for i, id := range s {
		out[i] = string(id)
	}
	return out
}
