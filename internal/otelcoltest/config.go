package otelcoltest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

// baseConfig is merged under every test config: health_check, the OTLP
// receiver on both protocols, logs without sampling (so that a test sees every
// line), and the collector's own metrics on a Prometheus pull endpoint.
// `service.extensions` must keep health_check when a config overrides it.
const baseConfig = `
extensions:
  health_check:
    endpoint: {{.Health}}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: {{.GRPC}}
      http:
        endpoint: {{.HTTP}}
service:
  extensions: [health_check]
  telemetry:
    logs:
      level: {{.LogLevel}}
      sampling:
        enabled: false
    metrics:
      level: {{.MetricsLevel}}
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: {{.MetricsPort}}
`

// Vars are what a config template can use.
type Vars struct {
	Ports
	// MetricsPort is the port of Ports.Metrics alone.
	MetricsPort string
	// Dir is the collector's own directory, e.g. for file_storage.
	Dir          string
	LogLevel     string
	MetricsLevel string
}

// writeConfigs renders the base config and opts.Config into dir and returns
// the --config flags, base first so that the test's config wins.
func writeConfigs(dir string, vars Vars, config string) ([]string, error) {
	var flags []string
	for _, c := range []struct{ name, text string }{{"base.yaml", baseConfig}, {"config.yaml", config}} {
		tmpl, err := template.New(c.name).Option("missingkey=error").Parse(c.text)
		if err != nil {
			return nil, fmt.Errorf("config template %s: %w", c.name, err)
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, vars); err != nil {
			return nil, fmt.Errorf("config template %s: %w", c.name, err)
		}
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			return nil, err
		}
		flags = append(flags, "--config=file:"+path)
	}
	return flags, nil
}
