//go:build faults || long

package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// heliconeConfig is the pipeline of most fault tests: OTLP in, helicone out
// to url, with a fast retry so that recoveries take seconds. One request of
// the test becomes one batch (up to 100 spans). extra is more exporter
// settings, each line indented by four spaces.
func heliconeConfig(url string, timeout time.Duration, extra string) string {
	return fmt.Sprintf(`
exporters:
  helicone:
    endpoint: %s
    api_key: ${env:HELICONE_API_KEY}
    timeout: %s
    retry_on_failure:
      initial_interval: 100ms
      max_interval: 1s
      max_elapsed_time: 2m
    sending_queue:
      num_consumers: 2
      batch:
        flush_timeout: 100ms
        min_size: 100
        max_size: 100
%s
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [helicone]
`, url, timeout, extra)
}

// startCollector runs otelcol-helicone with config and the API key in its
// environment, stopped when the test ends.
func startCollector(t *testing.T, config string, env ...string) *otelcoltest.Collector {
	t.Helper()
	return otelcoltest.StartT(t, otelcoltest.Options{
		Binary: binary,
		Config: config,
		Env:    append([]string{"HELICONE_API_KEY=" + apiKey}, env...),
	})
}

// sendSpans sends one OTLP/gRPC request of n LLM spans and returns their
// ids; the test fails unless the collector acknowledged it.
func sendSpans(t *testing.T, col *otelcoltest.Collector, n int, seed uint64) []otelcoltest.SpanID {
	t.Helper()
	res, err := otelcoltest.Load{
		Endpoint:        col.Ports().GRPC,
		Requests:        1,
		SpansPerRequest: n,
		Seed:            seed,
		RecordIDs:       true,
	}.Run(testContext(t, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if res.AckedSpans != int64(n) {
		t.Fatalf("the collector acknowledged %d of %d spans:\n%s", res.AckedSpans, n, res.ErrorSummary())
	}
	return res.Acked
}

// heliconeMetrics waits until the collector's own counters for the helicone
// exporter settled at sent+failed spans, and returns them.
func heliconeMetrics(t *testing.T, col *otelcoltest.Collector, total int) (sent, failed float64) {
	t.Helper()
	m, err := col.WaitForMetrics(testContext(t, 15*time.Second), func(m otelcoltest.Metrics) bool {
		return m.Sum(otelcoltest.SentSpans, "exporter", "helicone")+m.Sum(otelcoltest.SendFailedSpans, "exporter", "helicone") >= float64(total)
	})
	if err != nil {
		t.Fatalf("the collector never accounted for the %d spans (sent %g, failed %g): %v", total,
			m.Sum(otelcoltest.SentSpans, "exporter", "helicone"), m.Sum(otelcoltest.SendFailedSpans, "exporter", "helicone"), err)
	}
	return m.Sum(otelcoltest.SentSpans, "exporter", "helicone"), m.Sum(otelcoltest.SendFailedSpans, "exporter", "helicone")
}

// logLines are the collector's output lines containing every one of substrs.
func logLines(col *otelcoltest.Collector, substrs ...string) []string {
	var out []string
	for _, line := range col.Lines() {
		ok := true
		for _, s := range substrs {
			ok = ok && strings.Contains(line, s)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

// logLevel is the level field of a console-encoded collector log line.
func logLevel(line string) string {
	f := strings.SplitN(line, "\t", 3)
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

// waitForLog is col.WaitForOutput bounded by timeout, failing the test.
func waitForLog(t *testing.T, col *otelcoltest.Collector, timeout time.Duration, substrs ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	line, err := col.WaitForOutput(ctx, substrs...)
	if err != nil {
		t.Fatal(err)
	}
	return line
}
