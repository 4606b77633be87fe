package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// drainConfig sends small batches through two consumers, so that a queue of
// a few dozen spans takes several slow requests to drain.
const drainConfig = `
extensions:
  health_check:
    endpoint: %[1]s
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: %[2]s
      http:
        endpoint: %[3]s
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
exporters:
  helicone:
    endpoint: %[4]s
    api_key: ${env:HELICONE_API_KEY}
    sending_queue:
      num_consumers: 2
      batch:
        flush_timeout: 100ms
        min_size: 5
        max_size: 5
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter]
      exporters: [helicone]
`

// TestShutdownDrainsQueue stops the collector right after it accepted the
// spans, while Helicone answers slowly, and checks that every LLM span
// accepted before SIGTERM was logged before the process exited.
func TestShutdownDrainsQueue(t *testing.T) {
	t.Parallel()
	const delay = 700 * time.Millisecond
	srv := startFakeHelicone(t, helicone.Faults{Delay: delay})
	p := freePorts(t)
	config := filepath.Join(t.TempDir(), "drain.yaml")
	if err := os.WriteFile(config, fmt.Appendf(nil, drainConfig, p.Health, p.GRPC, p.HTTP, srv.URL()), 0o600); err != nil {
		t.Fatal(err)
	}
	col := startCollector(t, config, p, "HELICONE_API_KEY="+apiKey)

	sent := send(t, llmspans.GRPC, col.grpc, repeat(llmspans.Demo(), 6))
	llm := ofKind(sent, llmspans.KindLLM)
	before := srv.SpanCount()
	took := col.stop(t, 60*time.Second)

	if before >= len(llm) {
		t.Fatalf("Helicone had logged %d of %d spans before SIGTERM: nothing was left to drain; make the fake slower", before, len(llm))
	}
	logged := map[string]int{}
	for _, c := range srv.Calls() {
		logged[c.TraceID+"/"+c.SpanID]++
	}
	missing := 0
	for _, s := range llm {
		switch n := logged[s.TraceID+"/"+s.SpanID]; {
		case n == 0:
			missing++
		case n > 1:
			t.Errorf("LLM span %s/%s logged %d times", s.TraceID, s.SpanID, n)
		}
	}
	if missing > 0 {
		t.Fatalf("after shutdown %d of the %d LLM spans accepted before SIGTERM never reached Helicone (%d spans were logged before SIGTERM): the queue was not drained", missing, len(llm), before)
	}
	// Batches of 5 over 2 consumers: at least ceil(n/10) rounds of the delay.
	if minTook := time.Duration((len(llm)+9)/10) * delay; took < minTook-delay {
		t.Errorf("shutdown took %s, less than the %s the slow endpoint needs: did the spans go elsewhere?", took, minTook)
	}
	if r := srv.Rejected(); len(r) > 0 {
		t.Errorf("Helicone rejected %d request(s): %q", len(r), r)
	}
	t.Logf("%d LLM spans, %d logged before SIGTERM, shutdown took %s", len(llm), before, took.Round(time.Millisecond))
}
