// Command bench measures the otelcol-helicone distribution against itself
// with the stock exporter and with an exporter that does nothing: the same
// binary, machine, spans, queue and batch settings, once exporting with
// helicone and once with otlp_http (encoding: json, gzip for both), once
// with helicone uncompressed (what gzip costs), each to a local sink that
// only counts, and once with debug at basic verbosity
// (the floor: what receiving and batching the spans alone cost). It
// reports spans/s, the collector's CPU-seconds per million spans and its
// peak RSS, the ratios helicone / otlp_http and each exporter over the
// floor; then Go benchmarks as ratios to a baseline in the same run: the
// exporter's encoder vs pdata's ptrace.JSONMarshaler, the GenAI message
// parser vs encoding/json, and gzip levels and deflate on Helicone bodies.
// `make bench` runs it.
//
// Runs alternate between the pipelines (A B C A B C ...) so that noise
// from other work on the machine hits all alike; medians are reported.
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
	warmup := fs.Duration("warmup", 2*time.Second, "load before the measured window of each run")
	duration := fs.Duration("duration", 8*time.Second, "the measured window of each run")
	rate := fs.Float64("rate", 0, "offered spans/s; 0 sends as fast as the collector takes them")
	workers := fs.Int("workers", 4, "load generator connections")
	spans := fs.Int("spans", 100, "spans per OTLP request")
	encoderCount := fs.Int("encoder-count", 3, "runs of each encoder benchmark; 0 skips them")
	parserCount := fs.Int("parser-count", 3, "runs of each GenAI message parser benchmark; 0 skips them")
	compressCount := fs.Int("compress-count", 3, "runs of each compression benchmark (100ms each); 0 skips them")
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
		"Collector settings for all: memory_limiter, sending_queue with 4 consumers and batches of 1,000 spans; gzip for helicone and otlp_http, none for helicone_uncompressed.\n\n",
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

	for _, g := range []goBench{
		{title: "Encoder: Helicone encoder vs pdata ptrace.JSONMarshaler", pkg: "./internal/heliconebody/", name: "BenchmarkEncode",
			baseline: "pdata_json", count: *encoderCount,
			target: "MB/s over the Helicone body's size for both. Target: at least 3x pdata's speed, 0 allocs/op."},
		{title: "GenAI message JSON: internal/genaijson vs encoding/json", pkg: "./internal/genaijson/", name: "BenchmarkParse",
			baseline: "encoding_json", count: *parserCount,
			target: "Both read the same gen_ai.*.messages values and render the same text. Target: 0 allocs/op, no reflection."},
		{title: "Compression of Helicone bodies: gzip levels and deflate", pkg: "./bench/", name: "BenchmarkCompress",
			baseline: compressionBaseline, count: *compressCount, benchtime: "100ms",
			target: "klauspost/compress, as the exporter uses it; MB/s over the uncompressed body; the speed ratio is of CPU time per op (cpu_ns/op), steadier than wall time on a shared machine."},
	} {
		if g.count <= 0 {
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: go test -bench %s %s...\n", g.name, g.pkg)
		results, raw, err := runBenchmarks(root, g.pkg, g.name, g.count, g.benchtime)
		if err != nil {
			return err
		}
		writeGoBenchReport(out, g, results, raw)
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
