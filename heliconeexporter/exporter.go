// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
	"github.com/otelcol-helicone/otelcol-helicone/internal/delivery"
	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
	"github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"
	"github.com/otelcol-helicone/otelcol-helicone/internal/send"
)

// heliconeExporter picks the spans to send before the queue (selectingExporter), then
// follows a batch from the queue to Helicone: add what Helicone reads, encode the spans
// into bodies of at most max_request_size, post each body, and hand back to the retry
// sender only the spans Helicone has not stored.
type heliconeExporter struct {
	config    *Config
	settings  component.TelemetrySettings
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
	selector  *genai.Selector
	pushes    *scratchPool
	sender    *send.Sender
	userAgent string
	id        component.ID

	// records and their client are set when the queue is on disk (records.go).
	records       *delivery.Store
	recordsClient storage.Client
}

// pushScratch is what one push reuses of the previous ones.
type pushScratch struct {
	mapper  *genai.Mapper
	encoder *heliconebody.Encoder
	refs    []heliconebody.Ref
	body    []byte
	claims  claims
}

func newExporter(cfg *Config, set exporter.Settings) (*heliconeExporter, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	mapping := cfg.mappingSettings()
	heliconeOnly := cfg.Attributes.Send == SendHelicone
	return &heliconeExporter{
		config:    cfg,
		settings:  set.TelemetrySettings,
		logger:    set.Logger,
		telemetry: tb,
		selector:  cfg.selector(),
		pushes: newScratchPool(concurrentPushes(cfg), func() *pushScratch {
			return &pushScratch{mapper: genai.NewMapper(mapping), encoder: heliconebody.NewEncoder(heliconeOnly)}
		}),
		id:        set.ID,
		userAgent: fmt.Sprintf("%s/%s (%s/%s)", set.BuildInfo.Description, set.BuildInfo.Version, runtime.GOOS, runtime.GOARCH),
	}, nil
}

// start builds the HTTP client; only here are the auth extensions available.
func (e *heliconeExporter) start(ctx context.Context, host component.Host) error {
	clientConfig := e.config.ClientConfig
	clientConfig.Compression = "" // the sender compresses bodies itself (internal/send)
	client, err := clientConfig.ToClient(ctx, host.GetExtensions(), e.settings)
	if err != nil {
		return err
	}
	e.sender, err = send.New(client, send.Config{
		URL:         e.config.traceURL(),
		UserAgent:   e.userAgent,
		Compression: e.config.ClientConfig.Compression,
		Level:       e.config.ClientConfig.CompressionParams.Level,
		// A longer Retry-After than this only means giving up, which the retry sender
		// decides from max_elapsed_time; with retries that never expire, the longest
		// wait is max_interval.
		MaxRetryDelay: max(e.config.RetryConfig.MaxElapsedTime, e.config.RetryConfig.MaxInterval),
	})
	if err != nil {
		return err
	}
	if err := e.openRecords(ctx, host); err != nil {
		return err
	}
	if e.config.sendsKeyInClear() {
		e.logger.Warn("api_key is sent over plain http to a host that is not this machine; use an https endpoint",
			zap.String("endpoint", e.config.ClientConfig.Endpoint))
	}
	return nil
}

// pushTraces sends td, selected before the queue, to Helicone: map, encode and split,
// send, and on a failure hand back what Helicone has not stored.
func (e *heliconeExporter) pushTraces(ctx context.Context, td ptrace.Traces) error {
	p := e.pushes.get()
	defer e.pushes.put(p)
	// Repairs and mapping issues are counted for the bodies Helicone took, so that a
	// span encoded again after a 413, or retried later, is counted once.
	var sent sentCounts
	defer e.reportSent(ctx, &sent)

	added := p.mapper.Map(td)
	p.refs = heliconebody.AppendRefs(p.refs[:0], td)
	claims := e.newClaims(p, td)
	defer claims.release(ctx)
	spanCap := len(p.refs) // lowered when a proxy answers 413
	for lo := 0; lo < len(p.refs); {
		hi := min(len(p.refs), lo+spanCap)
		if claims != nil {
			if lo, hi = claims.claim(lo, spanCap); lo == len(p.refs) {
				break
			}
		}
		body, n := p.encoder.Fill(p.body[:0], td, p.refs[lo:hi], added.Spans[lo:hi], e.config.MaxRequestSize)
		p.body = body
		if n == 0 {
			alone, _ := p.encoder.Fill(p.body[:0], td, p.refs[lo:lo+1], added.Spans[lo:lo+1], math.MaxInt)
			p.body = alone
			e.dropTooLarge(ctx, "larger than max_request_size", heliconebody.SpanAt(td, p.refs[lo]), len(alone))
			lo++
			continue
		}
		err := e.sender.Send(ctx, body, e.apiKey(ctx))
		switch {
		case err == nil:
			sent.repairs.Add(p.encoder.Repairs())
			sent.issues.Add(added.Issues(lo, lo+n))
			claims.accept(ctx, lo, lo+n)
			lo += n
		case errors.Is(err, send.ErrTooLarge) && n > 1:
			spanCap = n / 2
			e.logger.Warn("Helicone or a proxy in front of it answered 413; splitting the request. Lower max_request_size to avoid the extra round trips.",
				zap.Int("spans", n), zap.Int("body_bytes", len(body)))
		case errors.Is(err, send.ErrTooLarge):
			e.dropTooLarge(ctx, "refused with 413 although alone in its request", heliconebody.SpanAt(td, p.refs[lo]), len(body))
			lo++
		case consumererror.IsPermanent(err):
			return err
		default:
			if errors.Is(err, send.ErrMayHaveLogged) {
				// The retry sends these spans again; Helicone may have logged some.
				e.telemetry.ExporterHeliconePossiblyDuplicated.Add(ctx, int64(n))
			}
			// Only the spans not yet stored, so that a retry does not duplicate them.
			return consumererror.NewTraces(err, heliconebody.Subset(td, p.refs[lo:]))
		}
	}
	return nil
}

// selectSpans removes from td the spans Helicone should not log, counting them; it
// runs before the queue (selectingExporter).
func (e *heliconeExporter) selectSpans(ctx context.Context, td ptrace.Traces) {
	dropped := e.selector.Select(td)
	if dropped.NotLLM > 0 {
		e.countDropped(ctx, dropNotLLM, dropped.NotLLM)
	}
	if dropped.Wrapper > 0 {
		e.countDropped(ctx, dropWrapper, dropped.Wrapper)
	}
	if dropped.NotLLM+dropped.Wrapper > 0 {
		e.logger.Debug("Left out spans that are not LLM calls", zap.Int("sent", td.SpanCount()),
			zap.Int("not_llm", dropped.NotLLM), zap.Int("wrapper", dropped.Wrapper))
	}
}

// dropReason labels the exporter_helicone_dropped_spans metric.
type dropReason string

const (
	dropNotLLM   dropReason = "not_llm"
	dropWrapper  dropReason = "wrapper" // an SDK or framework span around LLM calls
	dropTooLarge dropReason = "too_large"
	dropNoAPIKey dropReason = "no_api_key" // api_key_from found no key and refuses
)

func (e *heliconeExporter) dropTooLarge(ctx context.Context, why string, span ptrace.Span, size int) {
	e.countDropped(ctx, dropTooLarge, 1)
	e.logger.Error("Dropping a span Helicone cannot take: "+why+"; raise max_request_size (and the limit of any proxy in front of Helicone) to keep such spans",
		zap.Int("bytes", size), zap.Int("max_request_size", e.config.MaxRequestSize),
		zap.Stringer("trace_id", span.TraceID()), zap.Stringer("span_id", span.SpanID()))
}

func (e *heliconeExporter) countDropped(ctx context.Context, reason dropReason, n int) {
	e.telemetry.ExporterHeliconeDroppedSpans.Add(ctx, int64(n),
		metric.WithAttributes(attribute.String("reason", string(reason))))
}

// sentCounts is what the bodies Helicone took in one push needed rewritten or could
// not map in full.
type sentCounts struct {
	repairs heliconebody.Repairs
	issues  genai.Issues
}

// reportSent records the counts of a push.
func (e *heliconeExporter) reportSent(ctx context.Context, c *sentCounts) {
	for reason, n := range c.repairs {
		if n > 0 {
			name := heliconebody.RepairNames[reason]
			e.telemetry.ExporterHeliconeRepairedAttributes.Add(ctx, n, metric.WithAttributes(attribute.String("reason", name)))
			e.logger.Debug("Rewrote attribute values Helicone would reject", zap.String("reason", name), zap.Int64("count", n))
		}
	}
	for issue, n := range c.issues {
		if n > 0 {
			name := genai.IssueNames[issue]
			e.telemetry.ExporterHeliconeMappingIssues.Add(ctx, n, metric.WithAttributes(attribute.String("reason", name)))
			e.logger.Debug("Could not map GenAI attributes in full; sent them as they are", zap.String("reason", name), zap.Int64("count", n))
		}
	}
}
