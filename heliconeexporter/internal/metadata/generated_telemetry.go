// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Mirrors the output of mdatagen for the telemetry section of ../../metadata.yaml.

package metadata

import (
	"errors"

	"go.opentelemetry.io/otel/metric"

	"go.opentelemetry.io/collector/component"
)

// Meter returns the meter the exporter's own metrics are recorded with.
func Meter(settings component.TelemetrySettings) metric.Meter {
	return settings.MeterProvider.Meter(ScopeName)
}

// TelemetryBuilder holds the exporter's own metrics, as defined in metadata.yaml.
type TelemetryBuilder struct {
	ExporterHeliconeDroppedSpans       metric.Int64Counter
	ExporterHeliconePossiblyDuplicated metric.Int64Counter
	ExporterHeliconeRepairedAttributes metric.Int64Counter
	ExporterHeliconeMappingIssues      metric.Int64Counter
	ExporterHeliconeDroppedLogRecords  metric.Int64Counter
	ExporterHeliconeJoinedLogRecords   metric.Int64Counter
	ExporterHeliconeWaitedSpans        metric.Int64Counter
}

// NewTelemetryBuilder creates every metric of metadata.yaml on the settings' meter provider.
func NewTelemetryBuilder(settings component.TelemetrySettings) (*TelemetryBuilder, error) {
	builder := TelemetryBuilder{}
	meter := Meter(settings)
	var err, errs error
	builder.ExporterHeliconeDroppedSpans, err = meter.Int64Counter(
		"otelcol_exporter_helicone_dropped_spans",
		metric.WithDescription("Spans the exporter did not send to Helicone, by reason (not_llm, wrapper, too_large, no_api_key). [Alpha]"),
		metric.WithUnit("{span}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterHeliconePossiblyDuplicated, err = meter.Int64Counter(
		"otelcol_exporter_helicone_possibly_duplicated_spans",
		metric.WithDescription("Spans sent again after a failure that Helicone may have answered after logging them (a 500, a gateway's 502/504/52x, or no answer), so possibly logged twice. [Alpha]"),
		metric.WithUnit("{span}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterHeliconeRepairedAttributes, err = meter.Int64Counter(
		"otelcol_exporter_helicone_repaired_attributes",
		metric.WithDescription("Attribute values the exporter rewrote so Helicone accepts them, by reason. [Alpha]"),
		metric.WithUnit("{attribute}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterHeliconeMappingIssues, err = meter.Int64Counter(
		"otelcol_exporter_helicone_mapping_issues",
		metric.WithDescription("GenAI sources the exporter could not map in full onto what Helicone reads, by reason (malformed_json, truncated); the original attributes are sent untouched. [Alpha]"),
		metric.WithUnit("{issue}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterHeliconeDroppedLogRecords, err = meter.Int64Counter(
		"otelcol_exporter_helicone_dropped_log_records",
		metric.WithDescription("Log records not joined to a span, by reason (not_genai_content, no_span, expired, over_budget, shutdown, api_key_from). [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterHeliconeJoinedLogRecords, err = meter.Int64Counter(
		"otelcol_exporter_helicone_joined_log_records",
		metric.WithDescription("GenAI log records attached to their span as events. [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterHeliconeWaitedSpans, err = meter.Int64Counter(
		"otelcol_exporter_helicone_waited_spans",
		metric.WithDescription("Spans that waited for their GenAI log records, by how the wait ended (complete, expired, over_budget, flushed). [Alpha]"),
		metric.WithUnit("{span}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}
