package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// collector is one running otelcol-helicone process, started by
// internal/otelcoltest.
type collector struct {
	*otelcoltest.Collector
	grpc string // OTLP/gRPC host:port
	http string // OTLP/HTTP host:port
}

// freePorts are free ports on 127.0.0.1 for a collector (chosen by the
// kernel, so tests can run in parallel).
func freePorts(t *testing.T) otelcoltest.Ports {
	t.Helper()
	p, err := otelcoltest.NewPorts()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// startCollector runs the binary with config, env added to the test's
// environment, and waits until its health check on p.Health answers. The
// config must listen on p (the configs in config/ take the addresses from
// the environment). The process is stopped when the test ends, its output
// logged if the test failed.
func startCollector(t *testing.T, config string, p otelcoltest.Ports, env ...string) *collector {
	t.Helper()
	col := otelcoltest.StartT(t, otelcoltest.Options{
		Binary:      binary,
		ConfigFiles: []string{config},
		// Internal telemetry off: its default port (8888) would clash
		// between parallel tests.
		Args:  []string{"--set=service.telemetry.metrics.level=none"},
		Env:   env,
		Ports: p,
	})
	return &collector{Collector: col, grpc: p.GRPC, http: p.HTTP}
}

// stop sends SIGTERM and waits for a graceful exit, failing the test if the
// process does not exit within timeout or exits with an error.
func (c *collector) stop(t *testing.T, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	if err := c.Stop(timeout); err != nil {
		t.Fatalf("otelcol-helicone: %v", err)
	}
	return time.Since(start)
}

// testContext is a context for one wait, ended with the test.
func testContext(t *testing.T, timeout time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}
