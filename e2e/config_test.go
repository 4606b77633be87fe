package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigsValidate runs `otelcol-helicone validate` on every config in
// config/, with a key in the environment as users give it.
func TestConfigsValidate(t *testing.T) {
	configs, err := filepath.Glob(filepath.Join(root, "config", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(configs) < 3 {
		t.Fatalf("config/ has %d configs, want at least the default, self-hosted and fan-out ones", len(configs))
	}
	for _, config := range configs {
		t.Run(filepath.Base(config), func(t *testing.T) {
			t.Parallel()
			out, err := validate(config, "HELICONE_API_KEY=sk-helicone-validate-only")
			if err != nil {
				t.Fatalf("otelcol-helicone validate --config=%s: %v\n%s", config, err, out)
			}
			b, err := os.ReadFile(config)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "sk-helicone-") && !strings.Contains(string(b), "sk-helicone-...") {
				t.Errorf("%s seems to hold a Helicone key; read it from ${env:HELICONE_API_KEY}", config)
			}
		})
	}
}

// TestValidateNeedsKey shows that validate does check the exporter: without
// HELICONE_API_KEY the default config is refused, naming the fix.
func TestValidateNeedsKey(t *testing.T) {
	out, err := validate(defaultConfig)
	if err == nil {
		t.Fatalf("validate passed without HELICONE_API_KEY:\n%s", out)
	}
	if !strings.Contains(out, "api_key") || !strings.Contains(out, "HELICONE_API_KEY") {
		t.Errorf("the error does not tell how to set the key:\n%s", out)
	}
}

// validate runs the binary's validate command with the test's environment
// less any HELICONE_API_KEY, plus env.
func validate(config string, env ...string) (string, error) {
	cmd := exec.Command(binary, "validate", "--config="+config)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HELICONE_API_KEY=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
