package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// TestPersistentQueueSurvivesRestart runs config/persistent-queue.yaml while
// Helicone is down, restarts the collector, and checks that the spans queued
// on disk are sent, once each, when Helicone is back.
func TestPersistentQueueSurvivesRestart(t *testing.T) {
	t.Parallel()
	srv := startFakeHelicone(t, helicone.Faults{FailCount: helicone.Always, Fail: helicone.Failure{Status: http.StatusServiceUnavailable}})
	config := configFile("persistent-queue.yaml")
	queueDir := t.TempDir()
	p := freePorts(t)
	env := []string{
		"OTLP_GRPC_ENDPOINT=" + p.GRPC,
		"OTLP_HTTP_ENDPOINT=" + p.HTTP,
		"HEALTH_CHECK_ENDPOINT=" + p.Health,
		"HELICONE_ENDPOINT=" + srv.URL(),
		"HELICONE_API_KEY=" + apiKey,
		"HELICONE_QUEUE_DIR=" + queueDir,
	}

	col := startCollector(t, config, p, env...)
	sent := send(t, llmspans.HTTP, col.http, llmspans.Demo())
	llm := ofKind(sent, llmspans.KindLLM)
	if err := srv.WaitForAttempts(testContext(t, 30*time.Second), 1); err != nil {
		t.Fatalf("the collector never tried to send: %v", err)
	}
	col.stop(t, 30*time.Second)
	if n := srv.SpanCount(); n != 0 {
		t.Fatalf("Helicone was down but logged %d spans", n)
	}

	srv.SetFaults(helicone.Faults{})
	col = startCollector(t, config, p, env...)
	if err := srv.WaitForSpans(testContext(t, 60*time.Second), len(llm)); err != nil {
		t.Fatalf("after the restart Helicone logged %d of the %d queued LLM spans: %v", srv.SpanCount(), len(llm), err)
	}
	col.stop(t, 30*time.Second)
	checkCalls(t, srv.Calls(), sent)
	if r := srv.Rejected(); len(r) == 0 {
		t.Error("Helicone rejected nothing while it was down: the test did not exercise the queue")
	}
}
