package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// apiKey is the one key the fake Helicone accepts; collectors get it
// through HELICONE_API_KEY, as users give theirs.
const apiKey = "sk-helicone-e2e-0123456789"

// fakeHelicone is the in-process Helicone endpoint of a test, with every
// request it did not log kept for the failure message.
type fakeHelicone struct {
	*helicone.Server
	mu       sync.Mutex
	rejected []string
}

func startFakeHelicone(t *testing.T, faults helicone.Faults) *fakeHelicone {
	t.Helper()
	f := &fakeHelicone{}
	f.Server = helicone.New(helicone.Options{
		APIKey: apiKey,
		Faults: faults,
		OnReject: func(status int, reason string) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.rejected = append(f.rejected, fmt.Sprintf("%d: %s", status, reason))
		},
	})
	if err := f.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// Rejected are the requests answered with anything but success: schema
// violations (422), a wrong key (401), and so on.
func (f *fakeHelicone) Rejected() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.rejected...)
}

// send records reqs through an SDK TracerProvider exporting over protocol to
// endpoint, and returns once the SDK flushed them, i.e. once the collector
// accepted every span.
func send(t *testing.T, protocol llmspans.Protocol, endpoint string, reqs []llmspans.Request) []llmspans.Emitted {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	exp, err := llmspans.NewExporter(ctx, protocol, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	tp := llmspans.NewTracerProvider(exp, "e2e-"+string(protocol))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	var sent []llmspans.Emitted
	for _, r := range reqs {
		sent = append(sent, llmspans.Emit(ctx, tp, r)...)
	}
	if err := tp.ForceFlush(ctx); err != nil {
		t.Fatalf("sending over OTLP/%s to %s: %v", protocol, endpoint, err)
	}
	return sent
}

func ofKind(spans []llmspans.Emitted, k llmspans.Kind) []llmspans.Emitted {
	var out []llmspans.Emitted
	for _, s := range spans {
		if s.Kind == k {
			out = append(out, s)
		}
	}
	return out
}

// repeat is reqs n times over.
func repeat(reqs []llmspans.Request, n int) []llmspans.Request {
	var out []llmspans.Request
	for range n {
		out = append(out, reqs...)
	}
	return out
}
