package main

import (
	"fmt"
	"io"
	"strings"
)

// writePipelineReport prints every run, the medians per pipeline and the
// ratios helicone / otlp_http.
func writePipelineReport(out io.Writer, mx mix, ms []measurement) {
	fmt.Fprintf(out, "## Pipelines: helicone vs otlp_http (encoding: json), spans: %s\n\n", mx.name)
	fmt.Fprintf(out, "Spans: %s.\n\n", mx.about)
	fmt.Fprintln(out, "| run | pipeline | spans/s at the sink | collector CPU-s per 1M spans | peak RSS (MiB) | bytes/span on the wire | requests refused |")
	fmt.Fprintln(out, "|---|---|---:|---:|---:|---:|---:|")
	for _, m := range ms {
		fmt.Fprintf(out, "| %d | %s | %.0f | %.2f | %d | %.0f | %d |\n", m.round, m.pipeline, m.spansPerSecond(), m.cpuPerMillion(),
			m.peakRSS>>20, float64(m.requestBytes)/float64(m.spans), m.refused)
	}
	fmt.Fprintln(out)

	type summary struct{ spansPerSec, cpuPerM, rssMiB float64 }
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
		s := summary{
			spansPerSec: median(runs, measurement.spansPerSecond),
			cpuPerM:     median(runs, measurement.cpuPerMillion),
			rssMiB:      median(runs, func(m measurement) float64 { return float64(m.peakRSS) / (1 << 20) }),
		}
		med[p.name] = s
		fmt.Fprintf(out, "| %s | %.0f | %.2f | %.0f |\n", p.name, s.spansPerSec, s.cpuPerM, s.rssMiB)
	}
	h, o := med["helicone"], med["otlp_http"]
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Ratios helicone / otlp_http (medians):")
	fmt.Fprintln(out)
	fmt.Fprintf(out, "- throughput: %.2fx (target: at least 1.00x)\n", h.spansPerSec/o.spansPerSec)
	fmt.Fprintf(out, "- CPU per span: %.2fx (below 1 is cheaper)\n", h.cpuPerM/o.cpuPerM)
	fmt.Fprintf(out, "- peak RSS: %.2fx (target: at most 1.20x)\n", h.rssMiB/o.rssMiB)
	fmt.Fprintln(out)
}

// writeEncoderReport prints the encoder benchmarks and the speed ratio of
// the Helicone encoder over pdata's JSON marshaler on each corpus.
func writeEncoderReport(out io.Writer, results []encoderResult, raw string) {
	fmt.Fprintln(out, "## Encoder: Helicone encoder vs pdata ptrace.JSONMarshaler")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "`go test -run '^$' -bench BenchmarkEncode -benchmem ./internal/heliconebody/` (medians; MB/s over the Helicone body's size for both):")
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
