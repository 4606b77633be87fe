//go:build long

package faults

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// crashConfig keeps the exporter's queue in file_storage and retries for as
// long as it takes: nothing may be dropped while Helicone is down.
const crashConfig = `
extensions:
  file_storage:
    directory: %s
exporters:
  helicone:
    endpoint: %s
    api_key: ${env:HELICONE_API_KEY}
    timeout: 5s
    retry_on_failure:
      initial_interval: 100ms
      max_interval: 1s
      max_elapsed_time: 0
    sending_queue:
      storage: file_storage
      num_consumers: 4
      queue_size: 5000
      batch:
        flush_timeout: 200ms
        min_size: 200
        max_size: 200
service:
  extensions: [health_check, file_storage]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [helicone]
`

// TestCrashRecoveryWithFileStorage sends a steady stream of LLM spans while
// Helicone fails every request, kills the collector with SIGKILL in the
// middle of it, starts it again on the same queue directory while the stream
// goes on, and then lets Helicone recover. Every span the collector
// acknowledged, before or after the crash, must reach Helicone: zero lost.
// Duplicates are allowed and reported.
func TestCrashRecoveryWithFileStorage(t *testing.T) {
	srv := startEndpoint(t, helicone.Faults{FailCount: helicone.Always, Fail: helicone.Failure{Status: http.StatusServiceUnavailable}})
	dir := t.TempDir()
	queueDir := filepath.Join(dir, "queue")
	if err := os.Mkdir(queueDir, 0o700); err != nil {
		t.Fatal(err)
	}
	opts := otelcoltest.Options{
		Binary: binary,
		Config: fmt.Sprintf(crashConfig, queueDir, srv.baseURL()),
		Env:    []string{"HELICONE_API_KEY=" + apiKey},
		Dir:    dir,
	}
	first := otelcoltest.StartT(t, opts)
	opts = first.Options() // the same ports after the restart

	// The stream: 1,000 spans/s in requests of 50, until stopped.
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	results := make(chan otelcoltest.LoadResult, 1)
	go func() {
		res, err := otelcoltest.Load{
			Endpoint: opts.Ports.GRPC, Rate: 1000, Workers: 2, SpansPerRequest: 50,
			Seed: 6000, RecordIDs: true, Timeout: 5 * time.Second,
		}.Run(ctx)
		if err != nil {
			t.Error(err)
		}
		results <- res
	}()

	accepted := func(col *otelcoltest.Collector, n float64) {
		t.Helper()
		if _, err := col.WaitForMetrics(testContext(t, 60*time.Second), func(m otelcoltest.Metrics) bool {
			return m.Sum(otelcoltest.AcceptedSpans) >= n
		}); err != nil {
			t.Fatalf("the collector did not accept %g spans: %v", n, err)
		}
	}
	accepted(first, 3000)
	if srv.Attempts() == 0 {
		t.Fatal("Helicone got no request before the crash: the queue was never being worked on")
	}
	before := srv.Attempts()
	first.Kill()
	t.Logf("killed the collector (pid %d) with SIGKILL after %d failed attempts", first.PID(), before)

	second := otelcoltest.StartT(t, opts)
	accepted(second, 3000)
	stopLoad()
	res := <-results
	if res.AckedSpans == 0 {
		t.Fatal("no span was acknowledged")
	}

	srv.SetFaults(helicone.Faults{})
	waitErr := srv.waitForIDs(testContext(t, 3*time.Minute), res.Acked)
	lost := len(missingIDs(srv.loggedIDs(), res.Acked))
	t.Logf("crash safety: %d spans acknowledged (%d requests failed around the crash), %d reached Helicone, %d lost, %d duplicates; Helicone got %d requests, logged %d spans",
		res.AckedSpans, res.FailedRequests(), srv.UniqueSpans(), lost, srv.Duplicates(), srv.Attempts(), srv.SpanCount())
	if waitErr != nil || lost != 0 {
		t.Fatalf("%d of %d acknowledged spans were lost across the crash: %v", lost, res.AckedSpans, waitErr)
	}
	if failed := res.Errors; len(failed) > 0 {
		t.Logf("requests the collector did not acknowledge (not counted as sent):\n%s", res.ErrorSummary())
	}
	if !second.Running() {
		t.Fatalf("the restarted collector exited: %v", second.ExitError())
	}
	checkKeyNeverLogged(t, second)
}
