package main

import (
	"context"
	"fmt"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// settings are the load every run gets.
type settings struct {
	binary          string
	warmup          time.Duration
	duration        time.Duration
	rate            float64
	workers         int
	spansPerRequest int
	seed            uint64
	mix             mix
}

// mix is which LLM spans the load sends.
type mix struct {
	name        string
	about       string
	conventions []llmspans.Convention
}

var mixes = []mix{
	{name: "all", about: "the demo's chats: 3 in OpenLLMetry attributes, 1 in the GenAI semantic conventions (JSON messages the exporter maps)"},
	{name: "openllmetry", about: "OpenLLMetry attributes only: what Helicone reads as is", conventions: []llmspans.Convention{llmspans.OpenLLMetry}},
}

// measurement is one run of one pipeline.
type measurement struct {
	pipeline      string
	round         int
	spans         int64         // exported in the measured window (otelcol_exporter_sent_spans)
	window        time.Duration // the measured window
	cpu           time.Duration // the collector's CPU time in the window
	peakRSS       int64         // VmHWM at the end of the run
	offered       int64         // spans the load generator had acknowledged
	refused       int           // requests the collector refused
	requestBytes  int64         // compressed bytes the sink received in the window
	sinkSpans     int64         // spans the sink received in the window
	sinkRequests  int64         // requests the sink received in the window
	loadPerSecond float64       // acknowledged spans/s at the load generator
}

func (m measurement) spansPerSecond() float64 { return float64(m.spans) / m.window.Seconds() }

// bytesPerSpan is the compressed size on the wire; 0 for a pipeline that
// does not post.
func (m measurement) bytesPerSpan() float64 {
	if m.sinkSpans == 0 {
		return 0
	}
	return float64(m.requestBytes) / float64(m.sinkSpans)
}

// cpuPerMillion is the collector's CPU-seconds per million spans delivered.
func (m measurement) cpuPerMillion() float64 {
	if m.spans == 0 {
		return 0
	}
	return m.cpu.Seconds() / float64(m.spans) * 1e6
}

// measure runs one collector with p against a fresh sink: the load runs
// for warmup + duration; the window after the warmup is measured.
func measure(ctx context.Context, s settings, p pipeline, round int) (measurement, error) {
	m := measurement{pipeline: p.name, round: round}
	sk, err := startSink(p.gzips)
	if err != nil {
		return m, err
	}
	defer sk.close()
	col, err := otelcoltest.Start(otelcoltest.Options{Binary: s.binary, Config: p.collectorConfig(sk.url), MetricsLevel: "normal"})
	if err != nil {
		return m, err
	}
	defer col.Close()

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	done := make(chan otelcoltest.LoadResult, 1)
	loadErr := make(chan error, 1)
	go func() {
		res, err := otelcoltest.Load{
			Endpoint: col.Ports().GRPC, Rate: s.rate, Workers: s.workers,
			SpansPerRequest: s.spansPerRequest, Seed: s.seed, Timeout: 30 * time.Second,
			Conventions: s.mix.conventions,
		}.Run(loadCtx)
		loadErr <- err
		done <- res
	}()

	if !sleep(ctx, s.warmup) {
		return m, ctx.Err()
	}
	before, sent0, err := snapshot(ctx, col)
	if err != nil {
		return m, err
	}
	spans0, bytes0, reqs0, t0 := sk.spans.Load(), sk.bytes.Load(), sk.requests.Load(), time.Now()
	if !sleep(ctx, s.duration) {
		return m, ctx.Err()
	}
	after, sent1, err := snapshot(ctx, col)
	if err != nil {
		return m, err
	}
	spans1, bytes1, reqs1, t1 := sk.spans.Load(), sk.bytes.Load(), sk.requests.Load(), time.Now()
	stopLoad()
	if err := <-loadErr; err != nil {
		return m, err
	}
	res := <-done
	if !col.Running() {
		return m, fmt.Errorf("%s: the collector exited: %v", p.name, col.ExitError())
	}
	m.spans, m.window, m.cpu, m.peakRSS = int64(sent1-sent0), t1.Sub(t0), after.CPU-before.CPU, after.PeakRSS
	m.requestBytes, m.sinkRequests, m.sinkSpans = bytes1-bytes0, reqs1-reqs0, spans1-spans0
	m.offered, m.refused, m.loadPerSecond = res.AckedSpans, res.FailedRequests(), res.SpansPerSecond()
	if m.spans == 0 {
		return m, fmt.Errorf("%s: the exporter sent no span in %s:\n%s", p.name, s.duration, res.ErrorSummary())
	}
	if p.posts && m.sinkSpans == 0 {
		return m, fmt.Errorf("%s: the sink received no span in %s", p.name, s.duration)
	}
	return m, sk.err()
}

// snapshot reads the collector's CPU and peak RSS and the spans its
// exporter has sent so far. Spans are counted by the collector itself so
// that a pipeline that posts nowhere is measured like the others.
func snapshot(ctx context.Context, col *otelcoltest.Collector) (otelcoltest.ProcStats, float64, error) {
	ps, err := col.Proc()
	if err != nil {
		return ps, 0, err
	}
	ms, err := col.Scrape(ctx)
	if err != nil {
		return ps, 0, err
	}
	return ps, ms.Sum(otelcoltest.SentSpans), nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
