package main

import (
	"fmt"
	"io"
	"slices"
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
	fmt.Fprintf(out, "## Pipelines: helicone (gzip, and uncompressed) vs otlp_http (encoding: json) vs the floor (debug, basic), spans: %s\n\n", mx.name)
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
	h, u, o, f := med["helicone"], med["helicone_uncompressed"], med["otlp_http"], med["floor"]
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Ratios of the medians (throughput: above 1 is faster; CPU per span and peak RSS: below 1 is cheaper):")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| ratio | throughput | CPU per span | peak RSS | CPU per span, median of the rounds' own ratios |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|")
	ratioRow(out, ms, "helicone", "otlp_http", h, o)
	ratioRow(out, ms, "helicone", "floor", h, f)
	ratioRow(out, ms, "otlp_http", "floor", o, f)
	ratioRow(out, ms, "helicone_uncompressed", "floor", u, f)
	fmt.Fprintln(out)
	fmt.Fprintf(out, "Of helicone's CPU per span above the floor, gzip takes %.0f%% (helicone − helicone_uncompressed), mapping, encoding and posting the rest.\n\n",
		100*(h.cpuPerM-u.cpuPerM)/(h.cpuPerM-f.cpuPerM))
	fmt.Fprintln(out, "Targets (issue 13): helicone / otlp_http throughput at least 1.2x, CPU per span at most 0.5x, peak RSS at most 1.0x; "+
		"helicone / floor CPU per span at most 1.5x on the mixed load.")
	fmt.Fprintln(out)
}

// ratioRow prints a's medians over b's, and the median of the CPU-per-span
// ratios of each round's runs of a and b, which ran minutes apart at most and
// so share the machine's load more than the medians of all rounds do.
func ratioRow(out io.Writer, ms []measurement, a, b string, sa, sb summary) {
	fmt.Fprintf(out, "| %s / %s | %.2fx | %.2fx | %.2fx | %.2fx |\n", a, b, sa.spansPerSec/sb.spansPerSec, sa.cpuPerM/sb.cpuPerM, sa.rssMiB/sb.rssMiB,
		roundRatio(ms, a, b))
}

// roundRatio is the median over rounds of a's CPU per span over b's.
func roundRatio(ms []measurement, a, b string) float64 {
	cpu := map[string]map[int]float64{a: {}, b: {}}
	for _, m := range ms {
		if byRound, ok := cpu[m.pipeline]; ok {
			byRound[m.round] = m.cpuPerMillion()
		}
	}
	var ratios []float64
	for round, x := range cpu[a] {
		if y, ok := cpu[b][round]; ok && y > 0 {
			ratios = append(ratios, x/y)
		}
	}
	return median(ratios, func(r float64) float64 { return r })
}

// goBench is one Go benchmark that the report shows as ratios to one of
// its variants, measured in the same run.
type goBench struct {
	title     string
	pkg, name string
	baseline  string // the variant the others are compared with
	count     int
	benchtime string // per run; empty for go test's default
	target    string // shown under the table
}

// writeGoBenchReport prints each result with its speed (the baseline's
// cost over its own: CPU per op where measured, else ns/op) and, for the
// compression benchmark, its bytes on the wire over the baseline's.
func writeGoBenchReport(out io.Writer, g goBench, results []benchResult, raw string) {
	fmt.Fprintf(out, "## %s\n\n", g.title)
	fmt.Fprintf(out, "`go test -run '^$' -bench '^%s$' -benchmem -count %d %s` (medians), ratios to `%s` on the same corpus:\n\n", g.name, g.count, g.pkg, g.baseline)
	wire := slices.ContainsFunc(results, func(r benchResult) bool { return r.wirePercent > 0 })
	cpu := slices.ContainsFunc(results, func(r benchResult) bool { return r.cpuNsPerOp > 0 })
	speed := "speed vs " + g.baseline
	if cpu {
		speed = "CPU-time speed vs " + g.baseline
	}
	header, rule := "| corpus | variant | ns/op | MB/s | allocs/op | "+speed+" |", "|---|---|---:|---:|---:|---:|"
	if wire {
		header, rule = header+" wire (% of the body) | bytes on the wire vs "+g.baseline+" |", rule+"---:|---:|"
	}
	fmt.Fprintln(out, header)
	fmt.Fprintln(out, rule)
	base := map[string]benchResult{}
	for _, r := range results {
		if r.variant == g.baseline {
			base[r.corpus] = r
		}
	}
	for _, r := range results {
		b := base[r.corpus]
		fmt.Fprintf(out, "| %s | %s | %.0f | %.1f | %.0f | %s |", r.corpus, r.variant, r.nsPerOp, r.mbPerSec, r.allocsPerOp, ratio(b.cost(), r.cost()))
		if wire {
			fmt.Fprintf(out, " %.1f%% | %s |", r.wirePercent, ratio(r.wirePercent, b.wirePercent))
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintln(out)
	if g.target != "" {
		fmt.Fprintln(out, g.target)
		fmt.Fprintln(out)
	}
	fmt.Fprintln(out, "<details><summary>raw go test output</summary>")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "```")
	fmt.Fprint(out, strings.TrimSpace(raw)+"\n")
	fmt.Fprintln(out, "```")
	fmt.Fprintln(out, "</details>")
	fmt.Fprintln(out)
}

// ratio is a/b as "1.23x", or "—" when either is missing.
func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", a/b)
}
