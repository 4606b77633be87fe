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

// encoderResult is one encoder benchmark: the Helicone encoder or pdata's
// ptrace.JSONMarshaler on one corpus, medians over the runs.
type encoderResult struct {
	corpus, encoder string
	nsPerOp         float64
	mbPerSec        float64
	allocsPerOp     float64
}

// runEncoderBenchmarks runs the exporter's BenchmarkEncode in root with
// count runs each and returns the medians.
func runEncoderBenchmarks(root string, count int) ([]encoderResult, string, error) {
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "BenchmarkEncode", "-benchmem",
		"-count", strconv.Itoa(count), "./internal/heliconebody/")
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, string(out), fmt.Errorf("go test -bench BenchmarkEncode: %w\n%s", err, out)
	}
	return parseBenchmarks(out), string(out), nil
}

// parseBenchmarks reads `go test -bench` lines such as
// BenchmarkEncode/llm_1000/helicone-2  100  123 ns/op  456.7 MB/s  0 B/op  0 allocs/op.
func parseBenchmarks(out []byte) []encoderResult {
	type key struct{ corpus, encoder string }
	runs := map[key][]encoderResult{}
	var order []key
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "BenchmarkEncode/") {
			continue
		}
		name := strings.TrimPrefix(f[0], "BenchmarkEncode/")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		corpus, encoder, ok := strings.Cut(name, "/")
		if !ok {
			continue
		}
		r := encoderResult{corpus: corpus, encoder: encoder}
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
			}
		}
		k := key{corpus, encoder}
		if _, seen := runs[k]; !seen {
			order = append(order, k)
		}
		runs[k] = append(runs[k], r)
	}
	var results []encoderResult
	for _, k := range order {
		rs := runs[k]
		r := rs[0]
		r.nsPerOp = median(rs, func(r encoderResult) float64 { return r.nsPerOp })
		r.mbPerSec = median(rs, func(r encoderResult) float64 { return r.mbPerSec })
		r.allocsPerOp = median(rs, func(r encoderResult) float64 { return r.allocsPerOp })
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
