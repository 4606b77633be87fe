package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// compressionBaseline is BenchmarkCompress's codec for the exporter's
// default: gzip at level 1 (heliconeexporter's createDefaultConfig).
const compressionBaseline = "gzip-1"

// benchResult is one Go benchmark of the form Benchmark<Name>/<corpus>/<variant>
// (an encoder on a corpus, a codec on a corpus), medians over the runs.
type benchResult struct {
	corpus, variant string
	nsPerOp         float64
	mbPerSec        float64
	allocsPerOp     float64
	wirePercent     float64 // BenchmarkCompress's wire_%
	cpuNsPerOp      float64 // BenchmarkCompress's cpu_ns/op
}

// cost is what the speed ratio compares: CPU time per op where the
// benchmark reports it, else wall time.
func (r benchResult) cost() float64 {
	if r.cpuNsPerOp > 0 {
		return r.cpuNsPerOp
	}
	return r.nsPerOp
}

// runBenchmarks runs the Go benchmark name of pkg in root, count runs each
// (benchtime, if set, per run), and returns the medians and go test's output.
func runBenchmarks(root, pkg, name string, count int, benchtime string) ([]benchResult, string, error) {
	args := []string{"test", "-run", "^$", "-bench", "^" + name + "$", "-benchmem", "-count", strconv.Itoa(count)}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, string(out), fmt.Errorf("go test -bench %s %s: %w\n%s", name, pkg, err, out)
	}
	return parseBenchmarks(out, name), string(out), nil
}

// parseBenchmarks reads the `go test -bench` lines of name, such as
// BenchmarkEncode/llm_1000/helicone-2  100  123 ns/op  456.7 MB/s  0 B/op  0 allocs/op.
func parseBenchmarks(out []byte, name string) []benchResult {
	type key struct{ corpus, variant string }
	runs := map[key][]benchResult{}
	var order []key
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], name+"/") {
			continue
		}
		sub := strings.TrimPrefix(f[0], name+"/")
		if i := strings.LastIndexByte(sub, '-'); i > 0 {
			sub = sub[:i] // the GOMAXPROCS suffix
		}
		corpus, variant, ok := strings.Cut(sub, "/")
		if !ok {
			continue
		}
		r := benchResult{corpus: corpus, variant: variant}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				r.nsPerOp = v
			case "MB/s":
				r.mbPerSec = v
			case "allocs/op":
				r.allocsPerOp = v
			case "wire_%":
				r.wirePercent = v
			case "cpu_ns/op":
				r.cpuNsPerOp = v
			}
		}
		k := key{corpus, variant}
		if _, seen := runs[k]; !seen {
			order = append(order, k)
		}
		runs[k] = append(runs[k], r)
	}
	var results []benchResult
	for _, k := range order {
		rs := runs[k]
		r := rs[0]
		r.nsPerOp = median(rs, func(r benchResult) float64 { return r.nsPerOp })
		r.mbPerSec = median(rs, func(r benchResult) float64 { return r.mbPerSec })
		r.allocsPerOp = median(rs, func(r benchResult) float64 { return r.allocsPerOp })
		r.wirePercent = median(rs, func(r benchResult) float64 { return r.wirePercent })
		r.cpuNsPerOp = median(rs, func(r benchResult) float64 { return r.cpuNsPerOp })
		results = append(results, r)
	}
	return results
}

func median[T any](xs []T, f func(T) float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	vs := make([]float64, len(xs))
	for i, x := range xs {
		vs[i] = f(x)
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2]
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
}
