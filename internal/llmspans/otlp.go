package llmspans

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Protocol is how spans travel to the collector.
type Protocol string

const (
	GRPC Protocol = "grpc"
	HTTP Protocol = "http"
)

// DefaultEndpoint is where the collector started by `make run` listens.
func (p Protocol) DefaultEndpoint() string {
	if p == HTTP {
		return "127.0.0.1:4318"
	}
	return "127.0.0.1:4317"
}

// ParseProtocol accepts grpc and http (also http/protobuf).
func ParseProtocol(s string) (Protocol, error) {
	switch s {
	case "grpc":
		return GRPC, nil
	case "http", "http/protobuf":
		return HTTP, nil
	}
	return "", fmt.Errorf("protocol %q: use grpc or http", s)
}

// NewExporter is a plaintext OTLP exporter to endpoint (host:port). It does
// not retry: a sender sees at once that nothing listens there.
func NewExporter(ctx context.Context, p Protocol, endpoint string) (sdktrace.SpanExporter, error) {
	switch p {
	case GRPC:
		return otlptracegrpc.New(ctx,
			otlptracegrpc.WithEndpoint(endpoint),
			otlptracegrpc.WithInsecure(),
			otlptracegrpc.WithTimeout(10*time.Second),
			otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}))
	case HTTP:
		return otlptracehttp.New(ctx,
			otlptracehttp.WithEndpoint(endpoint),
			otlptracehttp.WithInsecure(),
			otlptracehttp.WithTimeout(10*time.Second),
			otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	}
	return nil, fmt.Errorf("protocol %q: use grpc or http", p)
}

// NewTracerProvider batches spans to exp as service serviceName. Call its
// ForceFlush to send what was recorded, Shutdown when done.
func NewTracerProvider(exp sdktrace.SpanExporter, serviceName string) *sdktrace.TracerProvider {
	return sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(
			attribute.String("service.name", serviceName),
			attribute.String("service.version", "1.4.2"),
			attribute.String("deployment.environment.name", "demo"),
		)),
	)
}
