// Command loadgen sends LLM-shaped spans to a collector over OTLP, at a fixed
// rate or as fast as it takes them, and reports how many it acknowledged.
// The spans are the chat calls of internal/llmspans (OpenLLMetry and GenAI
// semantic conventions), with fresh ids from a seeded generator.
//
//	loadgen -duration 30s                        # as fast as possible over OTLP/gRPC to 127.0.0.1:4317
//	loadgen -rate 5000 -workers 4 -duration 1m   # 5,000 spans/s
//	loadgen -protocol http -spans 50             # OTLP/HTTP, 50 spans a request
//
// `make loadgen LOADGEN_FLAGS=...` runs it against the collector of `make run`.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/cli"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

func main() { cli.Main("loadgen", run) }

func parseFlags(args []string, out io.Writer) (otelcoltest.Load, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(out)
	protocol := fs.String("protocol", "grpc", "OTLP protocol: grpc or http")
	endpoint := fs.String("endpoint", "", "collector host:port (default 127.0.0.1:4317 for grpc, 127.0.0.1:4318 for http)")
	rate := fs.Float64("rate", 0, "offered spans per second over all workers; 0 sends as fast as the collector takes them")
	duration := fs.Duration("duration", 10*time.Second, "how long to send")
	workers := fs.Int("workers", 4, "concurrent senders, each on its own connection")
	spans := fs.Int("spans", 100, "spans per request")
	seed := fs.Uint64("seed", 1, "seed of the span ids: the same seed sends the same spans")
	conventions := fs.String("conventions", "", "only LLM spans in these conventions, comma-separated: openllmetry, genai-semconv (default both)")
	if err := fs.Parse(args); err != nil {
		return otelcoltest.Load{}, err
	}
	if fs.NArg() > 0 {
		return otelcoltest.Load{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	p, err := llmspans.ParseProtocol(*protocol)
	if err != nil {
		return otelcoltest.Load{}, err
	}
	switch {
	case *rate < 0:
		return otelcoltest.Load{}, fmt.Errorf("-rate %g: must be 0 (as fast as possible) or more", *rate)
	case *duration <= 0:
		return otelcoltest.Load{}, fmt.Errorf("-duration %s: must be positive", *duration)
	case *workers < 1:
		return otelcoltest.Load{}, fmt.Errorf("-workers %d: must be at least 1", *workers)
	case *spans < 1:
		return otelcoltest.Load{}, fmt.Errorf("-spans %d: must be at least 1", *spans)
	}
	if *endpoint == "" {
		*endpoint = p.DefaultEndpoint()
	}
	var convs []llmspans.Convention
	for name := range strings.SplitSeq(*conventions, ",") {
		switch strings.TrimSpace(name) {
		case "":
		case llmspans.OpenLLMetry.String():
			convs = append(convs, llmspans.OpenLLMetry)
		case llmspans.GenAISemconv.String():
			convs = append(convs, llmspans.GenAISemconv)
		default:
			return otelcoltest.Load{}, fmt.Errorf("-conventions: unknown convention %q; use openllmetry or genai-semconv", name)
		}
	}
	return otelcoltest.Load{
		Endpoint: *endpoint, Protocol: p, Rate: *rate, Duration: *duration,
		Workers: *workers, SpansPerRequest: *spans, Seed: *seed, Conventions: convs,
	}, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	load, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	rate := "as fast as possible"
	if load.Rate > 0 {
		rate = fmt.Sprintf("at %g spans/s", load.Rate)
	}
	fmt.Fprintf(out, "sending LLM spans over OTLP/%s to %s %s for %s: %d workers, %d spans a request\n",
		load.Protocol, load.Endpoint, rate, load.Duration, load.Workers, load.SpansPerRequest)
	res, err := load.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "acknowledged %d of %d spans (%d of %d requests) in %s: %.0f spans/s\n",
		res.AckedSpans, res.Spans, res.AckedRequests, res.Requests, res.Elapsed.Round(time.Millisecond), res.SpansPerSecond())
	if res.FailedRequests() > 0 {
		fmt.Fprintf(out, "failed requests by error:\n%s", res.ErrorSummary())
	}
	if res.AckedRequests == 0 {
		return fmt.Errorf("no request was acknowledged by %s (is the collector running? start it with `make run`)", load.Endpoint)
	}
	return nil
}
