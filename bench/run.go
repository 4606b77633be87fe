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
	spans         int64         // received by the sink in the measured window
	window        time.Duration // the measured window
	cpu           time.Duration // the collector's CPU time in the window
	peakRSS       int64         // VmHWM at the end of the run
	offered       int64         // spans the load generator had acknowledged
	refused       int           // requests the collector refused
	requestBytes  int64         // compressed bytes the sink received in the window
	sinkRequests  int64         // requests the sink received in the window
	loadPerSecond float64       // acknowledged spans/s at the load generator
}

func (m measurement) spansPerSecond() float64 { return float64(m.spans) / m.window.Seconds() }

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
	sk, err := startSink()
	if err != nil {
		return m, err
	}
	defer sk.close()
	col, err := otelcoltest.Start(otelcoltest.Options{Binary: s.binary, Config: p.config(sk.url), MetricsLevel: "normal"})
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
	before, err := col.Proc()
	if err != nil {
		return m, err
	}
	spans0, bytes0, reqs0, t0 := sk.spans.Load(), sk.bytes.Load(), sk.requests.Load(), time.Now()
	if !sleep(ctx, s.duration) {
		return m, ctx.Err()
	}
	after, err := col.Proc()
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
	m.spans, m.window, m.cpu, m.peakRSS = spans1-spans0, t1.Sub(t0), after.CPU-before.CPU, after.PeakRSS
	m.requestBytes, m.sinkRequests = bytes1-bytes0, reqs1-reqs0
	m.offered, m.refused, m.loadPerSecond = res.AckedSpans, res.FailedRequests(), res.SpansPerSecond()
	if m.spans == 0 {
		return m, fmt.Errorf("%s: the sink received no span in %s:\n%s", p.name, s.duration, res.ErrorSummary())
	}
	return m, sk.err()
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
