package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// collector is one running otelcol-helicone process.
type collector struct {
	cmd    *exec.Cmd
	grpc   string // OTLP/gRPC host:port
	http   string // OTLP/HTTP host:port
	health string // health_check host:port
	output *syncBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, once exited
}

// ports are the addresses a collector listens on; each is a free port on
// 127.0.0.1 (chosen by the kernel, so tests can run in parallel).
type ports struct{ GRPC, HTTP, Health string }

func freePorts(t *testing.T) ports {
	t.Helper()
	return ports{GRPC: freeAddr(t), HTTP: freeAddr(t), Health: freeAddr(t)}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startCollector runs the binary with config, env added to the test's
// environment, and waits until its health check answers. The process is
// stopped when the test ends.
func startCollector(t *testing.T, config string, p ports, env ...string) *collector {
	t.Helper()
	// Internal telemetry off: its default port (8888) would clash between
	// parallel tests.
	cmd := exec.Command(binary, "--config="+config, "--set=service.telemetry.metrics.level=none")
	cmd.Env = append(os.Environ(), env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", binary, err)
	}
	c := &collector{cmd: cmd, grpc: p.GRPC, http: p.HTTP, health: p.Health, output: out, exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.kill()
		if t.Failed() {
			t.Logf("otelcol-helicone output:\n%s", out.String())
		}
	})
	if err := c.waitHealthy(30 * time.Second); err != nil {
		t.Fatalf("otelcol-helicone did not become ready: %v\noutput:\n%s", err, out.String())
	}
	return c
}

// waitHealthy polls the health check until it answers 200, the process
// exits, or timeout passes.
func (c *collector) waitHealthy(timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			return fmt.Errorf("exited: %v", c.err)
		default:
		}
		resp, err := client.Get("http://" + c.health + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no 200 from http://%s/ within %s", c.health, timeout)
}

// stop sends SIGTERM and waits for a graceful exit, failing the test if the
// process does not exit within timeout or exits with an error.
func (c *collector) stop(t *testing.T, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-c.exited:
	case <-time.After(timeout):
		t.Fatalf("otelcol-helicone still running %s after SIGTERM", timeout)
	}
	if c.err != nil {
		t.Fatalf("otelcol-helicone exited with %v after SIGTERM", c.err)
	}
	return time.Since(start)
}

// kill ends the process if it still runs: SIGTERM, then SIGKILL.
func (c *collector) kill() {
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

// syncBuffer collects a process's output from two pipes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testContext is a context for one wait, ended with the test.
func testContext(t *testing.T, timeout time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}
