package otelcoltest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// Load is a steady stream of LLM spans over OTLP, sent by workers with the
// OpenTelemetry OTLP client, each request a batch of SpansPerRequest spans
// from the worker's own SpanSource. A request counts as acknowledged only
// when the collector answered success: after that the collector owns the
// spans, and losing any is the collector's fault.
type Load struct {
	// Endpoint is the collector's OTLP host:port.
	Endpoint string
	// Protocol is grpc (the default) or http (OTLP/HTTP protobuf).
	Protocol llmspans.Protocol
	// Rate is the offered load in spans per second over all workers; 0
	// sends as fast as the collector takes them.
	Rate float64
	// Duration ends the load; 0 runs until Requests are sent or ctx ends.
	Duration time.Duration
	// Requests ends the load after this many requests over all workers; 0
	// means no limit.
	Requests int
	// Workers send concurrently, each on its own connection; 0 means 1.
	Workers int
	// SpansPerRequest is the batch size; 0 means 100.
	SpansPerRequest int
	// Seed makes the spans: the same seed sends the same spans.
	Seed uint64
	// ContextBytes, when set, adds to each span about this many bytes of
	// retrieved documents (SpanSource.AddContext), as RAG prompts carry.
	ContextBytes int
	// Conventions are those the LLM spans are recorded in; none means all
	// that llmspans.Demo() uses (see SpanSource).
	Conventions []llmspans.Convention
	// RecordIDs keeps the ids of acknowledged spans in the result.
	RecordIDs bool
	// Timeout bounds each request; 0 means 10s.
	Timeout time.Duration
	// FailureBackoff is how long a worker waits after a failed request, so
	// that a refusing collector is not hammered; 0 means 20ms.
	FailureBackoff time.Duration
}

// LoadResult is what a Load did.
type LoadResult struct {
	Requests, AckedRequests int
	Spans, AckedSpans       int64 // offered and acknowledged
	Elapsed                 time.Duration
	// Acked are the acknowledged spans' ids, when recorded.
	Acked []SpanID
	// Errors counts the failed requests by error message.
	Errors map[string]int
}

// FailedRequests is Requests less AckedRequests.
func (r LoadResult) FailedRequests() int { return r.Requests - r.AckedRequests }

// SpansPerSecond is the acknowledged spans over the elapsed time.
func (r LoadResult) SpansPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.AckedSpans) / r.Elapsed.Seconds()
}

// ErrorSummary lists the errors, most frequent first.
func (r LoadResult) ErrorSummary() string {
	keys := slices.SortedFunc(maps.Keys(r.Errors), func(a, b string) int { return r.Errors[b] - r.Errors[a] })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%6d× %s\n", r.Errors[k], k)
	}
	return b.String()
}

// Run sends until Duration passes, Requests are sent or ctx ends. It fails
// only when the clients cannot be created; refused requests are counted.
func (l Load) Run(ctx context.Context) (LoadResult, error) {
	l.defaults()
	if l.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.Duration)
		defer cancel()
	}
	clients := make([]otlptrace.Client, l.Workers)
	for i := range clients {
		c, err := NewClient(ctx, l.Protocol, l.Endpoint, l.Timeout)
		if err != nil {
			return LoadResult{}, err
		}
		clients[i] = c
		defer func() { _ = c.Stop(context.Background()) }()
	}

	var (
		mu     sync.Mutex
		total  = LoadResult{Errors: map[string]int{}}
		budget = l.Requests
		wg     sync.WaitGroup
	)
	// take reserves one request of the budget.
	take := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if l.Requests == 0 {
			return true
		}
		if budget == 0 {
			return false
		}
		budget--
		return true
	}
	var interval time.Duration // between one worker's requests
	if l.Rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(l.SpansPerRequest*l.Workers) / l.Rate)
	}
	start := time.Now()
	for w := range l.Workers {
		wg.Go(func() {
			src := NewSpanSource(l.Seed+uint64(w)*0x100000001b3, l.Conventions...)
			next := start.Add(interval * time.Duration(w) / time.Duration(l.Workers))
			for ctx.Err() == nil && take() {
				if interval > 0 {
					if !sleepUntil(ctx, next) {
						return
					}
					next = next.Add(interval)
				}
				rs, ids := src.Batch(l.SpansPerRequest)
				if l.ContextBytes > 0 {
					src.AddContext(rs, l.ContextBytes)
				}
				// A request under way when the load ends is finished, not
				// cut short: the client's timeout bounds it.
				err := clients[w].UploadTraces(context.WithoutCancel(ctx), []*tracepb.ResourceSpans{rs})
				mu.Lock()
				total.Requests++
				total.Spans += int64(len(ids))
				if err == nil {
					total.AckedRequests++
					total.AckedSpans += int64(len(ids))
					if l.RecordIDs {
						total.Acked = append(total.Acked, ids...)
					}
				} else {
					total.Errors[errorKey(err)]++
				}
				mu.Unlock()
				if err != nil {
					sleepUntil(ctx, time.Now().Add(l.FailureBackoff))
				}
			}
		})
	}
	wg.Wait()
	total.Elapsed = time.Since(start)
	return total, nil
}

func (l *Load) defaults() {
	if l.Protocol == "" {
		l.Protocol = llmspans.GRPC
	}
	if l.Workers <= 0 {
		l.Workers = 1
	}
	if l.SpansPerRequest <= 0 {
		l.SpansPerRequest = 100
	}
	if l.Timeout <= 0 {
		l.Timeout = 10 * time.Second
	}
	if l.FailureBackoff <= 0 {
		l.FailureBackoff = 20 * time.Millisecond
	}
}

// NewClient is a started, plaintext OTLP trace client to endpoint (host:port)
// that does not retry: every refusal is seen by the caller.
func NewClient(ctx context.Context, p llmspans.Protocol, endpoint string, timeout time.Duration) (otlptrace.Client, error) {
	var c otlptrace.Client
	switch p {
	case llmspans.GRPC:
		c = otlptracegrpc.NewClient(
			otlptracegrpc.WithEndpoint(endpoint),
			otlptracegrpc.WithInsecure(),
			otlptracegrpc.WithTimeout(timeout),
			otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}))
	case llmspans.HTTP:
		c = otlptracehttp.NewClient(
			otlptracehttp.WithEndpoint(endpoint),
			otlptracehttp.WithInsecure(),
			otlptracehttp.WithTimeout(timeout),
			otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	default:
		return nil, fmt.Errorf("protocol %q: use grpc or http", p)
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the OTLP/%s client to %s: %w", p, endpoint, err)
	}
	return c, nil
}

// errorKey shortens an error to count it with its like.
func errorKey(err error) string {
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// sleepUntil waits until t or ctx ends, reporting false for the latter.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
