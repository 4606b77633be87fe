// Command llmtracegen sends realistic traces of an LLM-backed service over
// OTLP: HTTP handler spans wrapping database queries and LLM chat calls, the
// calls attributed the OpenLLMetry way and in the newer GenAI semantic
// conventions. `make demo` runs it against the collector of `make run`.
//
//	llmtracegen                          # the demo traces once, OTLP/gRPC to 127.0.0.1:4317
//	llmtracegen -protocol http -repeat 5 # five times over OTLP/HTTP to 127.0.0.1:4318
//
// Like an instrumented app, it takes its defaults from the OpenTelemetry SDK's
// environment variables, so that it runs unchanged as the app of the
// Kubernetes manifests (deploy/): OTEL_EXPORTER_OTLP_ENDPOINT (a URL such as
// http://localhost:4318), OTEL_EXPORTER_OTLP_PROTOCOL (grpc or http/protobuf)
// and OTEL_SERVICE_NAME. Flags override them.
//
// The traces themselves are built by internal/llmspans, which the end-to-end
// tests use too. A load mode (rate, duration, workers) belongs in send's loop.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/cli"

	"go.opentelemetry.io/otel/trace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

func main() { cli.Main("llmtracegen", run) }

// getenv is os.Getenv, replaced in tests.
var getenv = os.Getenv

type options struct {
	protocol llmspans.Protocol
	endpoint string
	service  string
	repeat   int
}

func parseFlags(args []string, out io.Writer) (options, error) {
	fs := flag.NewFlagSet("llmtracegen", flag.ContinueOnError)
	fs.SetOutput(out)
	protocol := fs.String("protocol", cmp.Or(getenv("OTEL_EXPORTER_OTLP_PROTOCOL"), "grpc"), "OTLP protocol: grpc or http (default $OTEL_EXPORTER_OTLP_PROTOCOL)")
	endpoint := fs.String("endpoint", "", "collector host:port (default the host of $OTEL_EXPORTER_OTLP_ENDPOINT, else 127.0.0.1:4317 for grpc, 127.0.0.1:4318 for http)")
	service := fs.String("service", cmp.Or(getenv("OTEL_SERVICE_NAME"), "support-api"), "service.name of the traces (default $OTEL_SERVICE_NAME)")
	repeat := fs.Int("repeat", 1, "send the demo traces this many times")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	p, err := llmspans.ParseProtocol(*protocol)
	if err != nil {
		return options{}, err
	}
	if *repeat < 1 {
		return options{}, fmt.Errorf("-repeat %d: must be at least 1", *repeat)
	}
	opts := options{protocol: p, endpoint: *endpoint, service: *service, repeat: *repeat}
	if opts.endpoint == "" {
		if opts.endpoint, err = envEndpoint(); err != nil {
			return options{}, err
		}
	}
	if opts.endpoint == "" {
		opts.endpoint = p.DefaultEndpoint()
	}
	return opts, nil
}

// envEndpoint is the host:port of OTEL_EXPORTER_OTLP_ENDPOINT, "" when unset.
func envEndpoint() (string, error) {
	v := getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT %q: want a URL such as http://localhost:4318", v)
	}
	return u.Host, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	opts, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	exp, err := llmspans.NewExporter(ctx, opts.protocol, opts.endpoint)
	if err != nil {
		return err
	}
	tp := llmspans.NewTracerProvider(exp, opts.service)
	defer func() { _ = tp.Shutdown(context.Background()) }()

	fmt.Fprintf(out, "sending LLM traces over OTLP/%s to %s\n", opts.protocol, opts.endpoint)
	start := time.Now()
	traces, llm, other := send(ctx, tp, opts.repeat, out)

	flushCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := tp.ForceFlush(flushCtx); err != nil {
		return fmt.Errorf("sending to %s failed (is the collector running? start it with `make run`): %w", opts.endpoint, err)
	}
	fmt.Fprintf(out, "sent %d traces in %s: %d LLM calls, which should show up in Helicone, and %d other spans, which the exporter drops\n",
		traces, time.Since(start).Round(time.Millisecond), llm, other)
	return ctx.Err()
}

// send emits the demo requests repeat times and counts what it sent.
func send(ctx context.Context, tp trace.TracerProvider, repeat int, out io.Writer) (traces, llm, other int) {
	for range repeat {
		for _, r := range llmspans.Demo() {
			if ctx.Err() != nil {
				return traces, llm, other
			}
			spans := llmspans.Emit(ctx, tp, r)
			traces++
			var calls []string
			for _, s := range spans {
				if s.Kind == llmspans.KindLLM {
					llm++
					calls = append(calls, fmt.Sprintf("%s %s (%s)", s.Chat.Provider, s.Chat.RequestModel, s.Chat.Convention))
				} else {
					other++
				}
			}
			fmt.Fprintf(out, "  trace %s  %-26s %d spans, LLM: %s\n", spans[0].TraceID, "POST "+r.Route, len(spans), strings.Join(calls, ", "))
		}
	}
	return traces, llm, other
}
