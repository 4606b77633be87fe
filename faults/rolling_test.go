//go:build long

package faults

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// TestRollingRestartDuringOutage stops the collector with SIGTERM, as a
// rolling deploy does, while Helicone is down in the middle of split batches:
// some parts of a batch stored, the rest failing. The new process takes the
// queue over; when Helicone comes back, every span must arrive exactly once:
// the parts stored before the outage must not be sent again.
func TestRollingRestartDuringOutage(t *testing.T) {
	l := startLedger(t, 1)
	// Answers held 50-200 ms leave time to start the outage mid-batch.
	l.setFaults(0, 200*time.Millisecond)
	opts, _ := splitQueueOptions(t, l.url)
	col := otelcoltest.StartT(t, opts)
	opts = col.Options()

	// 300 spans of about 5 KiB in requests of 100: batches of up to 200, each
	// split over 8 or more requests to Helicone.
	res, err := otelcoltest.Load{
		Endpoint: opts.Ports.GRPC, Requests: 3, Workers: 3, SpansPerRequest: 100,
		ContextBytes: largeSpanBytes, Seed: 7100, RecordIDs: true,
	}.Run(testContext(t, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if res.AckedSpans != 300 {
		t.Fatalf("the collector acknowledged %d of 300 spans:\n%s", res.AckedSpans, res.ErrorSummary())
	}
	if err := waitForStatus(testContext(t, 30*time.Second), l, http.StatusOK, 2); err != nil {
		t.Fatal(err)
	}
	l.setFaults(1, 0) // the outage
	if err := waitForStatus(testContext(t, 30*time.Second), l, http.StatusServiceUnavailable, 4); err != nil {
		t.Fatal(err)
	}
	stored := len(l.copies())
	if stored%100 == 0 {
		t.Fatalf("the outage began after %d spans were stored: none of the requests of 100 was cut in the middle", stored)
	}
	if err := l.stop(col, 15*time.Second); err != nil {
		t.Fatalf("SIGTERM during the outage: %v", err)
	}
	t.Logf("stopped with SIGTERM during the outage, after %d of the 300 spans were stored", stored)

	col = otelcoltest.StartT(t, opts)
	_, failed := l.count(http.StatusServiceUnavailable)
	if err := waitForStatus(testContext(t, 30*time.Second), l, http.StatusServiceUnavailable, failed+2); err != nil {
		t.Fatalf("the restarted collector did not send the queue it took over: %v", err)
	}
	l.setFaults(0, 0) // the outage ends

	waitErr := waitForLogged(testContext(t, time.Minute), l, res.Acked)
	settle(t, col, l)
	got := l.tally(res.Acked)
	t.Logf("rolling restart during an outage: %d spans sent, %d arrived, %d lost, %d duplicated", got.sent, got.arrived, got.lost, got.duplicated)
	if bad := l.unexpected(); len(bad) > 0 {
		t.Errorf("Helicone refused %d requests (other than the injected 503s): %v", len(bad), bad)
	}
	if got.lost != 0 || waitErr != nil {
		t.Errorf("%d of %d spans were lost: %v", got.lost, got.sent, waitErr)
	}
	if got.duplicated != 0 {
		t.Errorf("%d spans were logged twice: the parts stored before the outage were sent again after the restart. First ones:\n  %s",
			got.duplicated, strings.Join(got.unaccounted, "\n  "))
	}
	if !col.Running() {
		t.Errorf("the restarted collector exited: %v", col.ExitError())
	}
}
