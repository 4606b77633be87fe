package deploy

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// shippedConfig is a collector configuration as shipped: in a ConfigMap, in
// an OpenTelemetryCollector, or in the image.
type shippedConfig struct {
	name string
	text string
}

// shippedConfigs extracts every collector configuration from the manifests
// (every ConfigMap key, every OpenTelemetryCollector's spec.config) and the
// image, so that the configurations run here are the ones deployed.
func shippedConfigs(t *testing.T) []shippedConfig {
	t.Helper()
	var out []shippedConfig
	for _, m := range loadManifests(t) {
		switch o := m.Obj.(type) {
		case *corev1.ConfigMap:
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range o.Data {
					if !yield(k) {
						return
					}
				}
			})
			for _, k := range keys {
				out = append(out, shippedConfig{name: filepath.Dir(m.File) + "/" + o.Name + "/" + k, text: o.Data[k]})
			}
		case *openTelemetryCollector:
			text, err := yaml.Marshal(o.Spec.Config)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, shippedConfig{name: filepath.Dir(m.File) + "/" + o.Name, text: string(text)})
		}
	}
	return append(out, shippedConfig{name: "image/" + imageConfigFile, text: readFile(t, imageConfigFile)})
}

const testAPIKey = "sk-helicone-deploy-test"

// localRun is how one configuration runs on this machine: its listeners on
// free loopback ports, its file_storage in a temporary directory, Helicone
// at the fake endpoint. Nothing else of the configuration changes.
type localRun struct {
	otlpHTTP string // the URL an app would have as OTEL_EXPORTER_OTLP_ENDPOINT
	health   string // the URL the probes ask
	args     []string
}

func newLocalRun(t *testing.T, cfg collectorConfig, file, storageDir string) localRun {
	t.Helper()
	if err := cfg.knownComponents(); err != nil {
		t.Fatal(err)
	}
	r := localRun{args: []string{"--config=" + file}}
	set := func(path []string, value string) {
		r.args = append(r.args, "--set="+strings.Join(path, "::")+"="+value)
	}
	for _, p := range otlpProtocols {
		if path := []string{"receivers", "otlp", "protocols", p, "endpoint"}; cfg.has(path...) {
			addr := freeAddr(t)
			set(path, addr)
			if p == "http" {
				_, port, _ := net.SplitHostPort(addr)
				r.otlpHTTP = "http://localhost:" + port
			}
		}
	}
	if r.otlpHTTP == "" {
		t.Fatal("the configuration has no OTLP/HTTP receiver to send to")
	}
	health := freeAddr(t)
	set([]string{"extensions", "health_check", "endpoint"}, health)
	r.health = "http://" + health + cfg.healthPath()
	for _, p := range fileStorageDirs {
		if cfg.has(p...) {
			set(p, storageDir)
		}
	}
	// The collector's own metrics: the configured reader, or the default one
	// on port 8888, moved to a free port.
	host, port, _ := net.SplitHostPort(freeAddr(t))
	r.args = append(r.args, fmt.Sprintf("--config=yaml:service::telemetry::metrics::readers: [{pull: {exporter: {prometheus: {host: %s, port: %s}}}}]", host, port))
	return r
}

func (r localRun) start(t *testing.T, bin, heliconeURL string) *process {
	t.Helper()
	p := startProcess(t, bin, r.args, []string{apiKeyEnv + "=" + testAPIKey, "HELICONE_ENDPOINT=" + heliconeURL})
	if err := p.waitHealthy(r.health, 30*time.Second); err != nil {
		t.Fatalf("health_check: %v", err)
	}
	return p
}

func startHelicone(t *testing.T, faults helicone.Faults) *helicone.Server {
	t.Helper()
	srv := helicone.New(helicone.Options{APIKey: testAPIKey, Faults: faults})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func validate(t *testing.T, bin, file string, env ...string) error {
	t.Helper()
	cmd := exec.Command(bin, "validate", "--config="+file)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// Every shipped configuration validates, starts, takes one LLM span from an
// app over OTLP/HTTP and, stopped right after as the kubelet stops a pod,
// delivers it to Helicone before it exits.
func TestShippedConfigsRun(t *testing.T) {
	bin := collectorBinary(t)
	configs := shippedConfigs(t)
	if len(configs) < 5 {
		t.Fatalf("found %d collector configurations; want the sidecar's, the operator's, both gateways' and the image's", len(configs))
	}
	for _, sc := range configs {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := parseCollectorConfig(sc.text)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(file, []byte(sc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := validate(t, bin, file, apiKeyEnv+"=dummy"); err != nil {
				t.Fatalf("otelcol-helicone validate: %v", err)
			}
			if err := validate(t, bin, file, apiKeyEnv+"="); err == nil {
				t.Errorf("otelcol-helicone validate passes without %s; the key must be required", apiKeyEnv)
			}

			srv := startHelicone(t, helicone.Faults{})
			run := newLocalRun(t, cfg, file, t.TempDir())
			p := run.start(t, bin, srv.URL())
			span := sendLLMSpan(t, run.otlpHTTP)
			if err := p.stop(30 * time.Second); err != nil {
				t.Fatalf("stopping: %v", err)
			}
			checkArrived(t, srv, span, testAPIKey)
		})
	}
}

// A configuration with a persistent queue keeps what Helicone has not yet
// taken across a restart, and sends it after.
func TestPersistentQueueSurvivesRestart(t *testing.T) {
	bin := collectorBinary(t)
	var ran bool
	for _, sc := range shippedConfigs(t) {
		cfg, err := parseCollectorConfig(sc.text)
		if err != nil {
			t.Fatal(err)
		}
		if !cfg.has("extensions", "file_storage") {
			continue
		}
		ran = true
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(file, []byte(sc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			// Helicone is down (503) while the first collector runs.
			srv := startHelicone(t, helicone.Faults{FailCount: helicone.Always, Fail: helicone.Failure{Status: 503}})
			run := newLocalRun(t, cfg, file, t.TempDir())
			p := run.start(t, bin, srv.URL())
			span := sendLLMSpan(t, run.otlpHTTP)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := srv.WaitForAttempts(ctx, 1); err != nil {
				t.Fatalf("the collector never tried to send: %v", err)
			}
			if err := p.stop(30 * time.Second); err != nil {
				t.Fatalf("stopping: %v", err)
			}
			if n := srv.SpanCount(); n != 0 {
				t.Fatalf("Helicone logged %d spans while down", n)
			}

			// Back up; a new collector on the same volume sends what was queued.
			srv.SetFaults(helicone.Faults{})
			p = run.start(t, bin, srv.URL())
			if err := srv.WaitForSpans(ctx, 1); err != nil {
				t.Fatalf("the queued span was not sent after the restart: %v", err)
			}
			if err := p.stop(30 * time.Second); err != nil {
				t.Fatalf("stopping: %v", err)
			}
			checkArrived(t, srv, span, testAPIKey)
		})
	}
	if !ran {
		t.Fatal("no shipped configuration has a persistent queue (file_storage)")
	}
}
