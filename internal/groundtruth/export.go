package groundtruth

import (
	"context"
	"fmt"
	"net/http/httptest"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// Export sends td through the real helicone exporter, built from its factory
// with its default configuration as a user would get it, into a fake Helicone
// endpoint over HTTP, and returns the calls that endpoint logged, read as
// Helicone's server reads them. Only the exporter's public API is used.
func Export(ctx context.Context, td ptrace.Traces) ([]helicone.Call, error) {
	server := helicone.New(helicone.Options{})
	ts := httptest.NewServer(server)
	defer ts.Close()

	factory := heliconeexporter.NewFactory()
	cfg := factory.CreateDefaultConfig()
	// Synchronous and without retries, so that what arrived is complete when
	// ConsumeTraces returns, and a body the server rejects (it validates as
	// Helicone does) is an error here.
	settings := confmap.NewFromStringMap(map[string]any{
		"endpoint":         ts.URL,
		"api_key":          "sk-helicone-groundtruth",
		"sending_queue":    map[string]any{"enabled": false},
		"retry_on_failure": map[string]any{"enabled": false},
	})
	if err := settings.Unmarshal(cfg); err != nil {
		return nil, fmt.Errorf("configuring the exporter: %w", err)
	}
	if err := confmap.Validate(cfg); err != nil {
		return nil, fmt.Errorf("configuring the exporter: %w", err)
	}
	exp, err := factory.CreateTraces(ctx, exportertest.NewNopSettings(factory.Type()), cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the exporter: %w", err)
	}
	if err := exp.Start(ctx, componenttest.NewNopHost()); err != nil {
		return nil, fmt.Errorf("starting the exporter: %w", err)
	}
	consumeErr := exp.ConsumeTraces(ctx, td)
	if err := exp.Shutdown(ctx); err != nil {
		return nil, fmt.Errorf("shutting the exporter down: %w", err)
	}
	if consumeErr != nil {
		return nil, fmt.Errorf("exporting: %w", consumeErr)
	}
	return server.Calls(), nil
}
