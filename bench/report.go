package main

import (
	"fmt"
	"io"
	"strings"
)

// summary is one pipeline's medians over its runs.
type summary struct{ spansPerSec, cpuPerM, rssMiB float64 }

func summarize(runs []measurement) summary {
	return summary{
		spansPerSec: median(runs, measurement.spansPerSecond),
		cpuPerM:     median(runs, measurement.cpuPerMillion),
		rssMiB:      median(runs, func(m measurement) float64 { return float64(m.peakRSS) / (1 << 20) }),
	}
}

// writePipelineReport prints every run, the medians per pipeline, the
// ratios helicone / otlp_http, and each exporting pipeline over the floor.
func writePipelineReport(out io.Writer, mx mix, ms []measurement) {
	fmt.Fprintf(out, "## Pipelines: helicone vs otlp_http (encoding: json) vs the floor (debug, basic), spans: %s\n\n", mx.name)
	fmt.Fprintf(out, "Spans: %s.\n\n", mx.about)
	fmt.Fprintln(out, "| run | pipeline | spans/s exported | collector CPU-s per 1M spans | peak RSS (MiB) | bytes/span on the wire | requests refused |")
	fmt.Fprintln(out, "|---|---|---:|---:|---:|---:|---:|")
	for _, m := range ms {
		wire := "—"
		if b := m.bytesPerSpan(); b > 0 {
			wire = fmt.Sprintf("%.0f", b)
		}
		fmt.Fprintf(out, "| %d | %s | %.0f | %.2f | %d | %s | %d |\n", m.round, m.pipeline, m.spansPerSecond(), m.cpuPerMillion(),
			m.peakRSS>>20, wire, m.refused)
	}
	fmt.Fprintln(out)

	med := map[string]summary{}
	fmt.Fprintln(out, "Medians:")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| pipeline | spans/s | CPU-s per 1M spans | peak RSS (MiB) |")
	fmt.Fprintln(out, "|---|---:|---:|---:|")
	for _, p := range pipelines {
		var runs []measurement
		for _, m := range ms {
			if m.pipeline == p.name {
				runs = append(runs, m)
			}
		}
		s := summarize(runs)
		med[p.name] = s
		fmt.Fprintf(out, "| %s | %.0f | %.2f | %.0f |\n", p.name, s.spansPerSec, s.cpuPerM, s.rssMiB)
	}
	h, o, f := med["helicone"], med["otlp_http"], med["floor"]
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Ratios of the medians (throughput: above 1 is faster; CPU per span and peak RSS: below 1 is cheaper):")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| ratio | throughput | CPU per span | peak RSS |")
	fmt.Fprintln(out, "|---|---:|---:|---:|")
	ratioRow(out, "helicone / otlp_http", h, o)
	ratioRow(out, "helicone / floor", h, f)
	ratioRow(out, "otlp_http / floor", o, f)
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Targets (issue 13): helicone / otlp_http throughput at least 1.2x, CPU per span at most 0.5x, peak RSS at most 1.0x; "+
		"helicone / floor CPU per span at most 1.5x on the mixed load.")
	fmt.Fprintln(out)
}

func ratioRow(out io.Writer, name string, a, b summary) {
	fmt.Fprintf(out, "| %s | %.2fx | %.2fx | %.2fx |\n", name, a.spansPerSec/b.spansPerSec, a.cpuPerM/b.cpuPerM, a.rssMiB/b.rssMiB)
}

// writeEncoderReport prints the encoder benchmarks and the speed ratio of
// the Helicone encoder over pdata's JSON marshaler on each corpus.
func writeEncoderReport(out io.Writer, results []encoderResult, raw string) {
	fmt.Fprintln(out, "## Encoder: Helicone encoder vs pdata ptrace.JSONMarshaler")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "`go test -run '^$' -bench BenchmarkEncode -benchmem ./heliconeexporter/` (medians; MB/s over the Helicone body's size for both):")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| corpus | encoder | ns/op | MB/s | allocs/op | speed vs pdata |")
	fmt.Fprintln(out, "|---|---|---:|---:|---:|---:|")
	byCorpus := map[string]map[string]encoderResult{}
	var corpora []string
	for _, r := range results {
		if byCorpus[r.corpus] == nil {
			byCorpus[r.corpus] = map[string]encoderResult{}
			corpora = append(corpora, r.corpus)
		}
		byCorpus[r.corpus][r.encoder] = r
	}
	for _, c := range corpora {
		h, p := byCorpus[c]["helicone"], byCorpus[c]["pdata_json"]
		ratio := "—"
		if h.nsPerOp > 0 && p.nsPerOp > 0 {
			ratio = fmt.Sprintf("%.2fx", p.nsPerOp/h.nsPerOp)
		}
		for _, r := range []encoderResult{h, p} {
			if r.encoder == "" {
				continue
			}
			shown := ""
			if r.encoder == "helicone" {
				shown = ratio
			}
			fmt.Fprintf(out, "| %s | %s | %.0f | %.1f | %.0f | %s |\n", c, r.encoder, r.nsPerOp, r.mbPerSec, r.allocsPerOp, shown)
		}
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Target: at least 3x pdata's throughput, 0 allocs/op.")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "<details><summary>raw go test output</summary>")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "```")
	fmt.Fprint(out, strings.TrimSpace(raw)+"\n")
	fmt.Fprintln(out, "```")
	fmt.Fprintln(out, "</details>")
}
