//go:build long

package faults

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// Under overload Helicone takes one request a second per consumer, two
// consumers, 500 spans a request: at most 1,000 spans/s, far less than the
// load offers, for overloadDuration.
const overloadDuration = 25 * time.Second

// overloadCase is which limit should stop the collector from growing.
type overloadCase struct {
	name      string
	limitMiB  int // memory_limiter's limit_mib
	queueSize int // sending_queue's queue_size, in spans
	// refusal is what the senders are told, at least in part.
	refusal string
	// rssBoundMiB is the peak RSS the collector must stay under.
	rssBoundMiB int64
}

const overloadConfig = `
processors:
  memory_limiter:
    check_interval: 100ms
    limit_mib: %d
    spike_limit_mib: 20
exporters:
  helicone:
    endpoint: %s
    api_key: ${env:HELICONE_API_KEY}
    timeout: 10s
    retry_on_failure:
      initial_interval: 100ms
      max_interval: 1s
      max_elapsed_time: 0
    sending_queue:
      num_consumers: 2
      sizer: items
      queue_size: %d
      batch:
        flush_timeout: 200ms
        min_size: 500
        max_size: 500
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter]
      exporters: [helicone]
`

// TestOverload offers spans as fast as four senders can for a sustained
// period to a collector whose Helicone accepts far fewer. The collector must
// push back (refuse requests, which the senders see) instead of crashing or
// growing without bound, keep its peak RSS under the memory limit plus the
// runtime's share, and once the load stops and Helicone speeds up, deliver
// every span it acknowledged and take new ones. Once the queue is the limit,
// once memory_limiter is.
func TestOverload(t *testing.T) {
	for _, oc := range []overloadCase{
		// 10,000 queued spans of ~2.5 KB (JSON) take ~50 MiB as pdata;
		// the collector itself ~40 MiB.
		{name: "queue full", limitMiB: 200, queueSize: 10_000, refusal: "sending queue is full", rssBoundMiB: 200},
		// The queue could hold gigabytes of what the load offers; the
		// limiter must stop it first. Go's GC lets the heap grow to twice
		// the live heap between collections, and the collector's own
		// binary and runtime take ~45 MiB: 2 × limit + 128 MiB, where an
		// unlimited collector would take gigabytes.
		{name: "memory limit", limitMiB: 60, queueSize: 1_000_000, refusal: "high memory usage", rssBoundMiB: 2*60 + 128},
	} {
		t.Run(oc.name, func(t *testing.T) { testOverload(t, oc) })
	}
}

func testOverload(t *testing.T, oc overloadCase) {
	srv := startEndpoint(t, helicone.Faults{Delay: time.Second})
	col := startCollector(t, fmt.Sprintf(overloadConfig, oc.limitMiB, srv.baseURL(), oc.queueSize))

	// Sample the RSS while the load runs; VmHWM keeps the peak anyway.
	var (
		samplesMu sync.Mutex
		maxRSS    int64
	)
	sampling, stopSampling := context.WithCancel(context.Background())
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for sampling.Err() == nil {
			if ps, err := col.Proc(); err == nil {
				samplesMu.Lock()
				maxRSS = max(maxRSS, ps.RSS)
				samplesMu.Unlock()
			}
			sleepCtx(sampling, 200*time.Millisecond)
		}
	}()

	res, err := otelcoltest.Load{
		Endpoint: col.Ports().GRPC, Workers: 4, SpansPerRequest: 200,
		Duration: overloadDuration, Seed: 7000, RecordIDs: true, Timeout: 10 * time.Second,
		FailureBackoff: 5 * time.Millisecond,
	}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stopSampling()
	<-sampled
	if !col.Running() {
		t.Fatalf("the collector exited under overload: %v", col.ExitError())
	}
	ps, err := col.Proc()
	if err != nil {
		t.Fatal(err)
	}
	m, err := col.Scrape(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	refused := m.Sum(otelcoltest.RefusedSpans)
	enqueueFailed := m.Sum(otelcoltest.EnqueueFailedSpans, "exporter", "helicone")
	t.Logf("overload for %s: offered %d spans in %d requests (%.0f spans/s), acknowledged %d (%.0f spans/s), %d requests refused; "+
		"receiver refused %g spans, enqueue failed %g; Helicone logged %d meanwhile; RSS max sampled %d MiB, peak (VmHWM) %d MiB",
		overloadDuration, res.Spans, res.Requests, float64(res.Spans)/res.Elapsed.Seconds(), res.AckedSpans, res.SpansPerSecond(),
		res.FailedRequests(), refused, enqueueFailed, srv.SpanCount(), maxRSS>>20, ps.PeakRSS>>20)
	t.Logf("refusals seen by the senders:\n%s", res.ErrorSummary())

	if res.FailedRequests() == 0 || refused == 0 {
		t.Errorf("no push back: %d requests refused, otelcol_receiver_refused_spans = %g; the load did not exceed what the collector takes", res.FailedRequests(), refused)
	}
	if !strings.Contains(res.ErrorSummary(), oc.refusal) {
		t.Errorf("no refusal mentions %q: the limit under test never applied", oc.refusal)
	}
	if srv.SpanCount() == 0 {
		t.Errorf("Helicone logged nothing during the overload: the collector stalled instead of passing on what Helicone takes")
	}
	if ps.PeakRSS > oc.rssBoundMiB<<20 {
		t.Errorf("peak RSS %d MiB exceeds %d MiB (memory_limiter at %d MiB, queue of %d spans)", ps.PeakRSS>>20, oc.rssBoundMiB, oc.limitMiB, oc.queueSize)
	}

	// Load gone, Helicone fast again: everything acknowledged arrives, and
	// new spans are taken.
	srv.SetFaults(helicone.Faults{})
	if err := srv.waitForIDs(testContext(t, 3*time.Minute), res.Acked); err != nil {
		t.Fatalf("after the overload: %v", err)
	}
	if _, err := col.WaitForMetrics(testContext(t, 30*time.Second), func(m otelcoltest.Metrics) bool {
		return m.Has(otelcoltest.QueueSize, "exporter", "helicone") && m.Sum(otelcoltest.QueueSize, "exporter", "helicone") == 0
	}); err != nil {
		t.Errorf("the queue never drained: %v", err)
	}
	// memory_limiter refuses until a GC brings the heap under its limit; it
	// forces one at most every 10s, more rarely the more often it had to.
	next, waited := sendUntilAccepted(t, col, 50, 7999, 2*time.Minute)
	t.Logf("the collector took new spans again %s after the overload ended", waited.Round(time.Millisecond))
	if err := srv.waitForIDs(testContext(t, 30*time.Second), next); err != nil {
		t.Fatalf("after the overload the collector does not deliver new spans: %v", err)
	}
	sent, failed := heliconeMetrics(t, col, int(res.AckedSpans)+len(next))
	t.Logf("recovered: all %d acknowledged spans delivered, %d duplicates; collector sent %g, failed %g",
		res.AckedSpans, srv.Duplicates(), sent, failed)
	if failed != 0 {
		t.Errorf("otelcol_exporter_send_failed_spans = %g, want 0", failed)
	}
	if srv.Duplicates() != 0 {
		t.Errorf("%d duplicates: a slow Helicone must not cause any", srv.Duplicates())
	}
}

// sendUntilAccepted sends one request of n spans every half second until the
// collector acknowledges it, and returns its ids and how long that took.
func sendUntilAccepted(t *testing.T, col *otelcoltest.Collector, n int, seed uint64, timeout time.Duration) ([]otelcoltest.SpanID, time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		res, err := otelcoltest.Load{Endpoint: col.Ports().GRPC, Requests: 1, SpansPerRequest: n, Seed: seed, RecordIDs: true}.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.AckedSpans == int64(n) {
			return res.Acked, time.Since(start)
		}
		if time.Since(start) > timeout {
			t.Fatalf("the collector still refuses new spans %s after the overload:\n%s", timeout, res.ErrorSummary())
		}
		seed++
		time.Sleep(500 * time.Millisecond)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
