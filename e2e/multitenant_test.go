package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// tenant is one application of a gateway's users, sending under its own key.
type tenant struct {
	service, key string
	protocol     llmspans.Protocol
}

// TestMultiTenantKeys runs config/multi-tenant.yaml: two applications send
// concurrently, each with its own key in x-helicone-api-key, over both OTLP
// protocols; a third sends without a key. Every request reaching Helicone must
// carry one tenant's spans under that tenant's key, every LLM span must arrive
// once, the keyless spans must be refused back to their sender and counted, and
// no key may appear in the collector's logs or metrics.
func TestMultiTenantKeys(t *testing.T) {
	t.Parallel()
	srv := helicone.New(helicone.Options{}) // any key: each tenant has its own
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	p := freePorts(t)
	col := otelcoltest.StartT(t, otelcoltest.Options{
		Binary:      binary,
		ConfigFiles: []string{filepath.Join(root, "config", "multi-tenant.yaml"), telemetryOverlay(t, p)},
		Env: []string{
			"OTLP_GRPC_ENDPOINT=" + p.GRPC,
			"OTLP_HTTP_ENDPOINT=" + p.HTTP,
			"HEALTH_CHECK_ENDPOINT=" + p.Health,
			"HELICONE_ENDPOINT=" + srv.URL(),
		},
		Ports: p,
	})

	tenants := []tenant{
		{service: "tenant-a", key: "sk-helicone-tenant-a-111", protocol: llmspans.HTTP},
		{service: "tenant-b", key: "sk-helicone-tenant-b-222", protocol: llmspans.GRPC},
		{service: "tenant-c", key: "sk-helicone-tenant-c-333", protocol: llmspans.HTTP},
	}
	endpoint := map[llmspans.Protocol]string{llmspans.HTTP: p.HTTP, llmspans.GRPC: p.GRPC}
	sent := make([][]llmspans.Emitted, len(tenants))
	var wg sync.WaitGroup
	for i, tn := range tenants {
		wg.Go(func() {
			var err error
			sent[i], err = sendAs(tn, endpoint[tn.protocol], repeat(llmspans.Demo(), 5))
			if err != nil {
				t.Errorf("%s: %v", tn.service, err)
			}
		})
	}
	keyless := tenant{service: "no-key", protocol: llmspans.HTTP}
	wg.Go(func() {
		_, err := sendAs(keyless, p.HTTP, llmspans.Demo())
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("spans without a key: the sender got %v; want them refused with 401", err)
		}
	})
	wg.Wait()

	wantPerKey := map[string]int{}
	total := 0
	for i, tn := range tenants {
		n := len(ofKind(sent[i], llmspans.KindLLM))
		wantPerKey["Bearer "+tn.key] = n
		total += n
	}
	if err := srv.WaitForSpans(testContext(t, 60*time.Second), total); err != nil {
		t.Fatalf("Helicone logged %d of %d LLM spans: %v", srv.SpanCount(), total, err)
	}
	m, err := col.WaitForMetrics(testContext(t, 30*time.Second), func(m otelcoltest.Metrics) bool {
		return m.Sum(otelcoltest.HeliconeDropped, "reason", "no_api_key") > 0
	})
	if err != nil {
		t.Errorf("the refused spans were not counted as no_api_key: %v", err)
	}
	if err := col.Stop(30 * time.Second); err != nil {
		t.Fatalf("otelcol-helicone: %v", err)
	}

	keyOf := map[string]string{}
	for _, tn := range tenants {
		keyOf[tn.service] = "Bearer " + tn.key
	}
	gotPerKey := map[string]int{}
	for i, req := range srv.Requests() {
		auth := req.Header.Get("Authorization")
		for _, c := range req.Calls {
			if want := keyOf[c.Properties["Service"]]; auth != want {
				t.Errorf("request %d: a span of %q (%s) went under another tenant's key", i, c.Properties["Service"], c.SpanName)
			}
		}
		gotPerKey[auth] += len(req.Calls)
	}
	for key, want := range wantPerKey {
		if gotPerKey[key] != want {
			t.Errorf("%d spans under one tenant's key, want %d", gotPerKey[key], want)
		}
	}
	if len(gotPerKey) != len(wantPerKey) {
		t.Errorf("requests arrived under %d keys, want %d (no request without a tenant's key)", len(gotPerKey), len(wantPerKey))
	}
	if d := srv.Duplicates(); d != 0 {
		t.Errorf("%d spans logged twice", d)
	}
	for _, tn := range tenants {
		if strings.Contains(col.Output(), tn.key) {
			t.Errorf("%s's key appears in the collector's log", tn.service)
		}
		for _, s := range m {
			for _, v := range s.Labels {
				if strings.Contains(v, tn.key) {
					t.Errorf("%s's key appears in metric %s", tn.service, s.Name)
				}
			}
		}
	}
}

// sendAs records reqs as tn's application would: its service name, its key in
// the x-helicone-api-key header (none when tn.key is empty).
func sendAs(tn tenant, endpoint string, reqs []llmspans.Request) ([]llmspans.Emitted, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	headers := map[string]string{}
	if tn.key != "" {
		headers["x-helicone-api-key"] = tn.key
	}
	var exp sdktrace.SpanExporter
	var err error
	if tn.protocol == llmspans.GRPC {
		exp, err = otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(endpoint), otlptracegrpc.WithInsecure(),
			otlptracegrpc.WithHeaders(headers), otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}))
	} else {
		exp, err = otlptracehttp.New(ctx, otlptracehttp.WithEndpoint(endpoint), otlptracehttp.WithInsecure(),
			otlptracehttp.WithHeaders(headers), otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	}
	if err != nil {
		return nil, err
	}
	tp := llmspans.NewTracerProvider(exp, tn.service)
	defer func() { _ = tp.Shutdown(context.Background()) }()
	var sent []llmspans.Emitted
	for _, r := range reqs {
		sent = append(sent, llmspans.Emit(ctx, tp, r)...)
	}
	return sent, tp.ForceFlush(ctx)
}

// telemetryOverlay is a config file that exposes the collector's own metrics on
// p.Metrics and logs at debug level, merged over a shipped config.
func telemetryOverlay(t *testing.T, p otelcoltest.Ports) string {
	t.Helper()
	host, port, _ := strings.Cut(p.Metrics, ":")
	overlay := `service:
  telemetry:
    logs:
      level: debug
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: ` + host + `
                port: ` + port + "\n"
	path := filepath.Join(t.TempDir(), "telemetry.yaml")
	if err := os.WriteFile(path, []byte(overlay), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMultiTenantKeysSurvivePersistentQueue: with the queue on disk, each
// batch's client metadata (its tenant's key) is stored with it, so spans queued
// during an outage reach Helicone under their own tenant's key after a restart.
func TestMultiTenantKeysSurvivePersistentQueue(t *testing.T) {
	t.Parallel()
	srv := helicone.New(helicone.Options{Faults: helicone.Faults{FailCount: helicone.Always, Fail: helicone.Failure{Status: http.StatusServiceUnavailable}}})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	p := freePorts(t)
	opts := otelcoltest.Options{
		Binary: binary,
		// The multi-tenant gateway with persistent-queue.yaml's queue on disk.
		ConfigFiles: []string{filepath.Join(root, "config", "multi-tenant.yaml"), filepath.Join(root, "config", "persistent-queue.yaml")},
		Env: []string{
			"OTLP_GRPC_ENDPOINT=" + p.GRPC,
			"OTLP_HTTP_ENDPOINT=" + p.HTTP,
			"HEALTH_CHECK_ENDPOINT=" + p.Health,
			"HELICONE_ENDPOINT=" + srv.URL(),
			"HELICONE_API_KEY=",
			"HELICONE_QUEUE_DIR=" + t.TempDir(),
		},
		Args:  []string{"--set=service.telemetry.metrics.level=none"},
		Ports: p,
	}
	tenants := []tenant{
		{service: "tenant-a", key: "sk-helicone-tenant-a-111", protocol: llmspans.HTTP},
		{service: "tenant-b", key: "sk-helicone-tenant-b-222", protocol: llmspans.GRPC},
	}
	endpoint := map[llmspans.Protocol]string{llmspans.HTTP: p.HTTP, llmspans.GRPC: p.GRPC}

	col := otelcoltest.StartT(t, opts)
	want := 0
	for _, tn := range tenants {
		sent, err := sendAs(tn, endpoint[tn.protocol], llmspans.Demo())
		if err != nil {
			t.Fatalf("%s: %v", tn.service, err)
		}
		want += len(ofKind(sent, llmspans.KindLLM))
	}
	if err := srv.WaitForAttempts(testContext(t, 30*time.Second), 1); err != nil {
		t.Fatalf("the collector never tried to send: %v", err)
	}
	if err := col.Stop(30 * time.Second); err != nil {
		t.Fatalf("otelcol-helicone: %v", err)
	}

	srv.SetFaults(helicone.Faults{})
	col = otelcoltest.StartT(t, opts)
	if err := srv.WaitForSpans(testContext(t, 60*time.Second), want); err != nil {
		t.Fatalf("after the restart Helicone logged %d of the %d queued LLM spans: %v", srv.SpanCount(), want, err)
	}
	if err := col.Stop(30 * time.Second); err != nil {
		t.Fatalf("otelcol-helicone: %v", err)
	}
	keyOf := map[string]string{}
	for _, tn := range tenants {
		keyOf[tn.service] = "Bearer " + tn.key
	}
	for i, req := range srv.Requests() {
		for _, c := range req.Calls {
			if got := req.Header.Get("Authorization"); got != keyOf[c.Properties["Service"]] {
				t.Errorf("request %d: a span of %q arrived after the restart under another key", i, c.Properties["Service"])
			}
		}
	}
	if d := srv.Duplicates(); d != 0 {
		t.Errorf("%d spans logged twice", d)
	}
}
