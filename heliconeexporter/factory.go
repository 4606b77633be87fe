// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
)

const (
	defaultEndpoint = "https://api.helicone.ai"
	// defaultMaxRequestSize keeps requests far below Helicone's 50 MB limit, where a
	// too-large body comes back as a 500 that looks retryable.
	defaultMaxRequestSize = 5 * 1024 * 1024
	// maxServerBodySize is Helicone's own limit on an inflated body.
	maxServerBodySize = 50 * 1000 * 1000
)

// NewFactory creates a factory for the helicone exporter.
func NewFactory() exporter.Factory {
	return exporter.NewFactory(
		metadata.Type,
		createDefaultConfig,
		exporter.WithTraces(createTraces, metadata.TracesStability),
		exporter.WithLogs(createLogs, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	clientConfig := confighttp.NewDefaultClientConfig()
	clientConfig.Endpoint = defaultEndpoint
	clientConfig.Timeout = 30 * time.Second
	clientConfig.Compression = configcompression.TypeGzip
	// Level 1: on real LLM bodies it takes about 0.6x the CPU of level 5 for about 20%
	// more bytes (some 200 bytes a span), and cuts the whole pipeline's CPU per span by
	// about a sixth (BENCHMARKS.md, "Compression"). Set explicitly rather than the
	// library's -1, so that a change of its default cannot move it silently.
	clientConfig.CompressionParams.Level = 1
	clientConfig.WriteBufferSize = 512 * 1024

	return &Config{
		ClientConfig:    clientConfig,
		QueueConfig:     configoptional.Some(metadata.NewDefaultQueueBatchConfig()),
		RetryConfig:     configretry.NewDefaultBackOffConfig(),
		MaxRequestSize:  defaultMaxRequestSize,
		DeliveryRecords: DeliveryRecordsConfig{Enabled: true},
		Spans:           SpansConfig{Export: ExportLLM},
		Attributes: AttributesConfig{
			Send:       SendAll,
			Properties: PropertiesConfig{FromAttributes: defaultPropertyAttributes()},
			Failures:   true,
			Sessions:   SessionsConfig{Enabled: true, ID: SessionIDConversation},
		},
		Logs: defaultLogsConfig(),
	}
}

func createTraces(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Traces, error) {
	c, err := components.get(ctx, set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	c.traces = true
	return c.entry, nil
}

// createLogs lets a logs pipeline feed GenAI log records to the exporter of
// the same configuration, to be joined to their spans (logs.go).
func createLogs(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Logs, error) {
	c, err := components.get(ctx, set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	c.logs = true
	return logsExporter{c}, nil
}

// newQueue is the exporterhelper behind selection and the joiner: the queue,
// the retries and pushTraces.
func newQueue(ctx context.Context, set exporter.Settings, cfg *Config, exp *heliconeExporter) (exporter.Traces, error) {
	return exporterhelper.NewTraces(ctx, set, cfg,
		exp.pushTraces,
		exporterhelper.WithStart(exp.start),
		exporterhelper.WithShutdown(exp.shutdown),
		exporterhelper.WithCapabilities(consumer.Capabilities{MutatesData: false}),
		// explicitly disabled: the http.Client's timeout bounds each request.
		exporterhelper.WithTimeout(exporterhelper.TimeoutConfig{Timeout: 0}),
		exporterhelper.WithRetry(cfg.RetryConfig),
		exporterhelper.WithQueue(cfg.queueConfig()),
	)
}

// selectingExporter drops the spans Helicone should not log before they reach the
// queue, so that the queue and its storage hold only what is sent and the
// exporterhelper's otelcol_exporter_sent_spans counts only spans sent to Helicone.
type selectingExporter struct {
	exporter.Traces // the joiner (logs.go), then the queue, the retries and pushTraces
	exp             *heliconeExporter
}

// ConsumeTraces selects the spans of td, in place, and queues the rest.
func (s *selectingExporter) ConsumeTraces(ctx context.Context, td ptrace.Traces) error {
	s.exp.selectSpans(ctx, td)
	if td.SpanCount() == 0 {
		return nil
	}
	return s.Traces.ConsumeTraces(ctx, td)
}

// Capabilities says that the selection removes spans from the batch it is given.
func (*selectingExporter) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: true}
}
