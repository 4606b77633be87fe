package deploy

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// collectorConfig is a collector configuration as the YAML object it is, for
// the checks that compare it with the manifests around it.
type collectorConfig map[string]any

func parseCollectorConfig(text string) (collectorConfig, error) {
	var c collectorConfig
	if err := yaml.UnmarshalStrict([]byte(text), &c); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("empty collector configuration")
	}
	return c, nil
}

// get returns the value at a path of keys, e.g. get("exporters", "helicone",
// "timeout"), or nil.
func (c collectorConfig) get(path ...string) any {
	var v any = map[string]any(c)
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func (c collectorConfig) has(path ...string) bool { return c.get(path...) != nil }

func (c collectorConfig) str(path ...string) string {
	s, _ := c.get(path...).(string)
	return s
}

// num returns a number at path; ok is false when it is missing or not a number.
func (c collectorConfig) num(path ...string) (float64, bool) {
	n, ok := c.get(path...).(float64) // sigs.k8s.io/yaml decodes through JSON
	return n, ok
}

func (c collectorConfig) duration(path ...string) (time.Duration, error) {
	s := c.str(path...)
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a duration", strings.Join(path, "."), s)
	}
	return d, nil
}

func (c collectorConfig) keys(path ...string) []string {
	m, _ := c.get(path...).(map[string]any)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (c collectorConfig) list(path ...string) []string {
	l, _ := c.get(path...).([]any)
	var out []string
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// port returns the port of a host:port endpoint at path.
func (c collectorConfig) port(path ...string) (int, error) {
	ep := c.str(path...)
	_, p, err := net.SplitHostPort(ep)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not host:port", strings.Join(path, "."), ep)
	}
	return strconv.Atoi(p)
}

var envRef = regexp.MustCompile(`\$\{env:([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// requiredEnv returns the environment variables the configuration uses
// without a default: the collector fails to start without them.
func requiredEnv(configText string) []string {
	var names []string
	for _, m := range envRef.FindAllStringSubmatch(configText, -1) {
		if m[2] == "" && !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	return names
}

// The parts of a configuration the tests know how to move so that it runs
// here; a configuration with other listeners or directories is refused, so
// that a test run never collides with a port or path it did not see.
var (
	otlpProtocols    = []string{"grpc", "http"}
	knownReceivers   = []string{"otlp"}
	knownExtensions  = []string{"health_check", "file_storage"}
	knownExporters   = []string{"helicone"}
	fileStorageDirs  = [][]string{{"extensions", "file_storage", "directory"}, {"extensions", "file_storage", "compaction", "directory"}}
	healthPathConfig = []string{"extensions", "health_check", "path"}
)

// knownComponents reports a component the tests cannot run here.
func (c collectorConfig) knownComponents() error {
	for _, kind := range []struct {
		key   string
		known []string
	}{{"receivers", knownReceivers}, {"extensions", knownExtensions}, {"exporters", knownExporters}, {"connectors", nil}} {
		for _, id := range c.keys(kind.key) {
			if !slices.Contains(kind.known, id) {
				return fmt.Errorf("%s: %q is not one the deploy tests know how to run here; teach run_test.go to move its ports or paths", kind.key, id)
			}
		}
	}
	return nil
}

// healthPath is the path health_check answers on.
func (c collectorConfig) healthPath() string {
	if p := c.str(healthPathConfig...); p != "" {
		return p
	}
	return "/"
}
