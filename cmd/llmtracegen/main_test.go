package main

import (
	"io"
	"strings"
	"testing"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// The SDK's environment variables are the defaults, as in the sidecar
// manifests; flags win over them.
func TestParseFlagsFromEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want options
		err  string
	}{
		{name: "defaults", want: options{protocol: llmspans.GRPC, endpoint: "127.0.0.1:4317", service: "support-api", repeat: 1}},
		{
			name: "sidecar manifest",
			env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",
				"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_SERVICE_NAME": "llm-app"},
			want: options{protocol: llmspans.HTTP, endpoint: "localhost:4318", service: "llm-app", repeat: 1},
		},
		{
			name: "flags win",
			env:  map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"},
			args: []string{"-protocol", "grpc", "-endpoint", "10.0.0.1:4317"},
			want: options{protocol: llmspans.GRPC, endpoint: "10.0.0.1:4317", service: "support-api", repeat: 1},
		},
		{name: "not a URL", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4318"}, err: "OTEL_EXPORTER_OTLP_ENDPOINT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := getenv
			getenv = func(k string) string { return tc.env[k] }
			t.Cleanup(func() { getenv = orig })
			got, err := parseFlags(tc.args, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
