package main

import (
	"bytes"
	"compress/gzip"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseBenchmarks(t *testing.T) {
	out := []byte(`goos: linux
BenchmarkEncode/llm_1000/helicone-2         	     441	   3000000 ns/op	1850.54 MB/s	       0 B/op	       0 allocs/op
BenchmarkEncode/llm_1000/helicone-2         	     441	   2000000 ns/op	1900.00 MB/s	       0 B/op	       0 allocs/op
BenchmarkEncode/llm_1000/helicone-2         	     441	   2500000 ns/op	1800.00 MB/s	       0 B/op	       0 allocs/op
BenchmarkEncode/llm_1000/pdata_json-2       	     194	   7500000 ns/op	 885.98 MB/s	 5510769 B/op	       3 allocs/op
PASS
`)
	rs := parseBenchmarks(out, "BenchmarkEncode")
	if len(rs) != 2 {
		t.Fatalf("%d results, want 2: %+v", len(rs), rs)
	}
	h, p := rs[0], rs[1]
	if h.corpus != "llm_1000" || h.variant != "helicone" || h.nsPerOp != 2500000 || h.mbPerSec != 1850.54 || h.allocsPerOp != 0 {
		t.Errorf("helicone: %+v, want the medians of three runs", h)
	}
	if p.variant != "pdata_json" || p.nsPerOp != 7500000 || p.allocsPerOp != 3 {
		t.Errorf("pdata: %+v", p)
	}
}

func TestSinkCountsSpans(t *testing.T) {
	s, err := startSink(true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	post := func(path string, body []byte) int {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		_, _ = zw.Write(body)
		_ = zw.Close()
		req, _ := http.NewRequest(http.MethodPost, s.url+path, &zb)
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	otlp := []byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","parentSpanId":"03"},{"traceId":"01","spanId":"04"}]}]}]}`)
	if code := post("/v1/traces", otlp); code != 200 {
		t.Fatalf("POST /v1/traces: %d", code)
	}
	if got := s.spans.Load(); got != 2 {
		t.Errorf("counted %d spans in an OTLP/JSON body of 2 (parentSpanId must not count)", got)
	}
	if err := s.err(); err != nil {
		t.Error(err)
	}
	// A Helicone body that breaks the schema is reported.
	if code := post("/v1/trace/log", []byte(`{"resourceSpans":[{"bogus":1}]}`)); code != 200 {
		t.Fatalf("POST /v1/trace/log: %d", code)
	}
	if s.err() == nil {
		t.Error("an invalid Helicone body went unnoticed")
	}
}

// A sink for an uncompressed pipeline takes plain bodies, and reports a gzipped one.
func TestSinkChecksContentEncoding(t *testing.T) {
	s, err := startSink(false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	body := `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02"}]}]}]}`
	resp, err := http.Post(s.url+"/v1/traces", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := s.spans.Load(); got != 1 || s.err() != nil {
		t.Fatalf("plain body: counted %d spans (want 1), problems: %v", got, s.err())
	}

	s2, err := startSink(false)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.close()
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	_, _ = zw.Write([]byte(body))
	_ = zw.Close()
	req, _ := http.NewRequest(http.MethodPost, s2.url+"/v1/traces", &zb)
	req.Header.Set("Content-Encoding", "gzip")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s2.err() == nil {
		t.Error("a gzipped body to a sink for uncompressed bodies went unnoticed")
	}
}

func TestGoBenchReportRatios(t *testing.T) {
	out := []byte(`BenchmarkCompress/fixtures/gzip-1-2   100  1000 ns/op  90.0 MB/s  900 cpu_ns/op  30.00 wire_%  0 B/op  0 allocs/op
BenchmarkCompress/fixtures/gzip-5-2   100  2000 ns/op  45.0 MB/s  2700 cpu_ns/op  25.00 wire_%  0 B/op  0 allocs/op
`)
	rs := parseBenchmarks(out, "BenchmarkCompress")
	if len(rs) != 2 || rs[0].variant != "gzip-1" || rs[0].wirePercent != 30 || rs[0].cpuNsPerOp != 900 {
		t.Fatalf("parsed %+v", rs)
	}
	var b bytes.Buffer
	writeGoBenchReport(&b, goBench{title: "T", pkg: "./bench/", name: "BenchmarkCompress", baseline: "gzip-5", count: 1}, rs, "raw")
	for _, want := range []string{
		"| corpus | variant | ns/op | MB/s | allocs/op | CPU-time speed vs gzip-5 |",
		"| fixtures | gzip-1 | 1000 | 90.0 | 0 | 3.00x | 30.0% | 1.20x |",
		"| fixtures | gzip-5 | 2000 | 45.0 | 0 | 1.00x | 25.0% | 1.00x |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, b.String())
		}
	}
}

// Every pipeline's config is complete: its exporter is the one the traces
// pipeline uses, the ones that post get the sink's URL, the floor nothing.
func TestPipelineConfigs(t *testing.T) {
	const sinkURL = "http://127.0.0.1:4999"
	for _, p := range pipelines {
		cfg := p.collectorConfig(sinkURL)
		if strings.Contains(cfg, "%!") {
			t.Errorf("%s: a formatting error in\n%s", p.name, cfg)
		}
		if !strings.Contains(cfg, "exporters: ["+p.exporter+"]") || !strings.Contains(cfg, "\n  "+p.exporter+":") {
			t.Errorf("%s: the pipeline does not use exporter %s:\n%s", p.name, p.exporter, cfg)
		}
		if strings.Contains(cfg, sinkURL) != p.posts {
			t.Errorf("%s: posts=%v, but the config has the sink's URL: %v", p.name, p.posts, strings.Contains(cfg, sinkURL))
		}
		if !strings.Contains(cfg, "min_size: 1000") {
			t.Errorf("%s: not batched like the others", p.name)
		}
	}
}

// Each round's runs are compared with each other before the median is taken:
// a round where the whole machine was slow moves both sides alike.
func TestRoundRatio(t *testing.T) {
	run := func(pipeline string, round int, cpuSeconds float64) measurement {
		return measurement{pipeline: pipeline, round: round, spans: 1e6, cpu: time.Duration(cpuSeconds * float64(time.Second))}
	}
	ms := []measurement{
		run("helicone", 1, 15), run("floor", 1, 10), // 1.5
		run("helicone", 2, 26), run("floor", 2, 20), // 1.3, a slow round
		run("helicone", 3, 14), run("floor", 3, 10), // 1.4
		run("otlp_http", 3, 30),
	}
	if got := roundRatio(ms, "helicone", "floor"); math.Abs(got-1.4) > 1e-9 {
		t.Errorf("helicone / floor: %v, want the median of the rounds' ratios, 1.4", got)
	}
	if got := roundRatio(ms, "otlp_http", "floor"); math.Abs(got-3) > 1e-9 {
		t.Errorf("otlp_http / floor: %v, want 3 from the one round both ran", got)
	}
}
