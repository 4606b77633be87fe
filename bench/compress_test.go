package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// codec is one way to compress a request body: what the exporter's
// compression and compression_params.level choose, with the same
// klauspost/compress writers the exporter uses.
type codec struct {
	name  string
	level int
	zlib  bool // deflate (Content-Encoding: deflate is zlib); else gzip
}

var codecs = []codec{
	{name: "gzip-1", level: 1}, {name: "gzip-2", level: 2}, {name: "gzip-3", level: 3},
	{name: "gzip-4", level: 4}, {name: "gzip-5", level: 5}, {name: "gzip-6", level: 6},
	{name: "gzip-7", level: 7}, {name: "gzip-8", level: 8}, {name: "gzip-9", level: 9},
	{name: "deflate-1", level: 1, zlib: true}, {name: "deflate-5", level: 5, zlib: true}, {name: "deflate-9", level: 9, zlib: true},
}

func (c codec) writer() interface {
	io.WriteCloser
	Reset(io.Writer)
} {
	if c.zlib {
		w, _ := zlib.NewWriterLevel(io.Discard, c.level)
		return w
	}
	w, _ := gzip.NewWriterLevel(io.Discard, c.level)
	return w
}

// BenchmarkCompress compresses real Helicone request bodies (made by the
// exporter itself from the GenAI fixtures and from the spans `make bench`
// sends) with each codec. MB/s is over the uncompressed body; wire_% is the
// compressed size in percent of it; cpu_ns/op is the process's CPU time
// per op, which other work on the machine disturbs less than ns/op. `make bench` reports both as ratios to
// the exporter's default (compressionBaseline).
func BenchmarkCompress(b *testing.B) {
	for _, corpus := range compressionCorpora(b) {
		var size int64
		for _, body := range corpus.bodies {
			size += int64(len(body))
		}
		for _, c := range codecs {
			b.Run(corpus.name+"/"+c.name, func(b *testing.B) {
				w, out := c.writer(), new(bytes.Buffer)
				var wire int
				b.SetBytes(size)
				b.ReportAllocs()
				cpu0 := processCPU()
				for b.Loop() {
					wire = 0
					for _, body := range corpus.bodies {
						out.Reset()
						w.Reset(out)
						_, _ = w.Write(body)
						_ = w.Close()
						wire += out.Len()
					}
				}
				if cpu := processCPU() - cpu0; cpu > 0 {
					b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu_ns/op")
				}
				b.ReportMetric(100*float64(wire)/float64(size), "wire_%")
			})
		}
	}
}

type bodyCorpus struct {
	name   string
	bodies [][]byte
}

// compressionCorpora: the four GenAI fixtures as four small requests (a quiet
// collector's batches), and the load generator's spans in batches of 100 and
// of 1,000 (the batch size of `make bench`).
func compressionCorpora(tb testing.TB) []bodyCorpus {
	var fixtures []ptrace.Traces
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "genai", "*.traces.json"))
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
		if err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		fixtures = append(fixtures, td)
	}
	if len(fixtures) == 0 {
		tb.Fatal("no fixtures in testdata/genai")
	}
	src := otelcoltest.NewSpanSource(42)
	return []bodyCorpus{
		{name: "fixtures", bodies: heliconeBodies(tb, fixtures...)},
		{name: "loadgen_100", bodies: heliconeBodies(tb, loadgenTraces(tb, src, 100))},
		{name: "loadgen_1000", bodies: heliconeBodies(tb, loadgenTraces(tb, src, 1000))},
	}
}

// loadgenTraces is a batch of the load generator's spans as pdata.
func loadgenTraces(tb testing.TB, src *otelcoltest.SpanSource, n int) ptrace.Traces {
	rs, _ := src.Batch(n)
	raw, err := proto.Marshal(&tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{rs}})
	if err != nil {
		tb.Fatal(err)
	}
	td, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return td
}

// heliconeBodies runs the helicone exporter, uncompressed, against a local
// endpoint and returns the bodies it posts: one or more per traces.
func heliconeBodies(tb testing.TB, traces ...ptrace.Traces) [][]byte {
	var mu sync.Mutex
	var bodies [][]byte
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = helicone.ValidateBody(body)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		bodies = append(bodies, body)
		mu.Unlock()
		_, _ = w.Write([]byte(`{}`))
	}))
	defer ts.Close()

	f := heliconeexporter.NewFactory()
	cfg := f.CreateDefaultConfig()
	err := confmap.NewFromStringMap(map[string]any{
		"endpoint": ts.URL, "api_key": "sk-helicone-bench", "compression": "none",
		"sending_queue": map[string]any{"enabled": false}, "retry_on_failure": map[string]any{"enabled": false},
	}).Unmarshal(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	exp, err := f.CreateTraces(ctx, exportertest.NewNopSettings(f.Type()), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := exp.Start(ctx, componenttest.NewNopHost()); err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = exp.Shutdown(ctx) }()
	for _, td := range traces {
		if err := exp.ConsumeTraces(ctx, td); err != nil {
			tb.Fatal(err)
		}
	}
	if len(bodies) < len(traces) {
		tb.Fatalf("the exporter posted %d bodies for %d traces", len(bodies), len(traces))
	}
	return bodies
}

// The corpora are what Helicone takes, and every codec gives them back.
func TestCompressionCorpora(t *testing.T) {
	for _, corpus := range compressionCorpora(t) {
		for _, c := range codecs {
			w, out := c.writer(), new(bytes.Buffer)
			w.Reset(out)
			_, _ = w.Write(corpus.bodies[0])
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			var r io.Reader
			var err error
			if c.zlib {
				r, err = zlib.NewReader(out)
			} else {
				r, err = gzip.NewReader(out)
			}
			if err != nil {
				t.Fatal(err)
			}
			back, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(back, corpus.bodies[0]) {
				t.Errorf("%s/%s: the body does not come back (%v)", corpus.name, c.name, err)
			}
		}
	}
}
