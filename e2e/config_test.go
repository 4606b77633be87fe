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

// TestValidateRefusesTypos: a misspelt key under the exporter fails validate (and
// so the start) naming the key and the setting meant, instead of running on
// defaults the user did not choose. The typos are laid over the default config
// with --set, as a user's own file would.
func TestValidateRefusesTypos(t *testing.T) {
	for set, want := range map[string]string{
		"exporters::helicone::max_requst_size=100":   "did you mean max_request_size?",
		"exporters::helicone::timout=5s":             "did you mean timeout?",
		"exporters::helicone::compresion=none":       "did you mean compression?",
		"exporters::helicone::spans::exprt=all":      "did you mean spans.export?",
		"exporters::helicone::attributes::sendd=all": "did you mean attributes.send?",
	} {
		t.Run(set, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(binary, "validate", "--config="+defaultConfig, "--set="+set)
			cmd.Env = append(os.Environ(), "HELICONE_API_KEY=sk-helicone-validate-only")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("validate passed with %s:\n%s", set, out)
			}
			if !strings.Contains(string(out), want) {
				t.Errorf("the error does not name the setting meant (%q):\n%s", want, out)
			}
		})
	}
}
