// Command bench measures the otelcol-helicone distribution against itself
// with the stock exporter: the same binary, machine, spans, queue, batch
// and gzip settings, once exporting with helicone and once with otlp_http
// (encoding: json), each to a local sink that only counts. It reports
// spans/s, the collector's CPU-seconds per million spans and its peak RSS,
// and the ratios helicone / otlp_http; then the exporter's encoder
// benchmarks against pdata's ptrace.JSONMarshaler. `make bench` runs it.
//
// Runs alternate between the pipelines (A B A B ...) so that noise from
// other work on the machine hits both alike; medians are reported.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/cli"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

func main() { cli.Main("bench", run) }

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(out)
	rounds := fs.Int("rounds", 3, "runs of each pipeline, alternating")
	warmup := fs.Duration("warmup", 3*time.Second, "load before the measured window of each run")
	duration := fs.Duration("duration", 12*time.Second, "the measured window of each run")
	rate := fs.Float64("rate", 0, "offered spans/s; 0 sends as fast as the collector takes them")
	workers := fs.Int("workers", 4, "load generator connections")
	spans := fs.Int("spans", 100, "spans per OTLP request")
	encoderCount := fs.Int("encoder-count", 3, "runs of each encoder benchmark; 0 skips them")
	mixNames := fs.String("mixes", "all,openllmetry", "span mixes to run, comma-separated: all, openllmetry")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bin, err := otelcoltest.Binary()
	if err != nil {
		return err
	}
	root, err := otelcoltest.RepoRoot()
	if err != nil {
		return err
	}
	s := settings{binary: bin, warmup: *warmup, duration: *duration, rate: *rate, workers: *workers, spansPerRequest: *spans, seed: 42}

	fmt.Fprintf(out, "# otelcol-helicone benchmark, %s\n\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(out, "%s\n\n", machine())
	offered := "as fast as the collector takes them"
	if s.rate > 0 {
		offered = fmt.Sprintf("%g spans/s", s.rate)
	}
	fmt.Fprintf(out, "Load: LLM spans (internal/llmspans chats) over OTLP/gRPC from an in-process generator, %s, %d connections, %d spans a request, seed %d. "+
		"Each run: a fresh collector and sink, %s warm-up, then a %s measured window; %d rounds, pipelines alternating. "+
		"Collector settings for both: memory_limiter, sending_queue with 4 consumers and batches of 1,000 spans, gzip.\n\n",
		offered, s.workers, s.spansPerRequest, s.seed, s.warmup, s.duration, *rounds)

	for _, name := range strings.Split(*mixNames, ",") {
		mx, ok := findMix(strings.TrimSpace(name))
		if !ok {
			return fmt.Errorf("-mixes: unknown mix %q; use all or openllmetry", name)
		}
		s.mix = mx
		var ms []measurement
		for round := 1; round <= *rounds; round++ {
			for _, p := range pipelines {
				fmt.Fprintf(os.Stderr, "bench: spans %s, round %d/%d, %s...\n", mx.name, round, *rounds, p.name)
				m, err := measure(ctx, s, p, round)
				if err != nil {
					return err
				}
				ms = append(ms, m)
				fmt.Fprintf(os.Stderr, "bench:   %.0f spans/s, %.2f CPU-s per million spans, peak RSS %d MiB\n", m.spansPerSecond(), m.cpuPerMillion(), m.peakRSS>>20)
			}
		}
		writePipelineReport(out, mx, ms)
	}

	if *encoderCount > 0 {
		fmt.Fprintf(os.Stderr, "bench: encoder benchmarks (go test -bench BenchmarkEncode ./internal/heliconebody/)...\n")
		results, raw, err := runEncoderBenchmarks(root, *encoderCount)
		if err != nil {
			return err
		}
		writeEncoderReport(out, results, raw)
	}
	return nil
}

func findMix(name string) (mix, bool) {
	for _, m := range mixes {
		if m.name == name {
			return m, true
		}
	}
	return mix{}, false
}

// machine describes where the numbers come from.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if line, _, ok := strings.Cut(string(b), "\n"); ok {
			mem = ", " + strings.Join(strings.Fields(line)[1:], " ") + " memory"
		}
	}
	return fmt.Sprintf("Machine: %s, %d cores%s, %s/%s, %s. Shared with other work: compare ratios, not absolute figures.",
		cpu, runtime.NumCPU(), mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
