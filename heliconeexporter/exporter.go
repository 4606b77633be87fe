package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
)

// heliconeExporter follows a batch from the queue to Helicone: pick the spans to send,
// encode them into bodies of at most max_request_size, post each body, and hand back
// to the retry sender only the spans Helicone has not yet stored.
type heliconeExporter struct {
	config    *Config
	url       string
	userAgent string
	client    *http.Client
	// compressor is nil when bodies go uncompressed.
	compressor *compressor
	settings   component.TelemetrySettings
	logger     *zap.Logger
	telemetry  *metadata.TelemetryBuilder
	encoders   sync.Pool
	selector   spanSelector   // which spans go to Helicone (genai_select.go)
	mapping    *genaiSettings // what is added to them for Helicone (genai_map.go)
	// maxRetryDelay caps the delay a Retry-After header asks for.
	maxRetryDelay time.Duration
}

func newExporter(cfg *Config, set exporter.Settings) (*heliconeExporter, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return &heliconeExporter{
		config:    cfg,
		url:       cfg.traceURL(),
		userAgent: fmt.Sprintf("%s/%s (%s/%s)", set.BuildInfo.Description, set.BuildInfo.Version, runtime.GOOS, runtime.GOARCH),
		settings:  set.TelemetrySettings,
		logger:    set.Logger,
		telemetry: tb,
		encoders:  sync.Pool{New: func() any { return new(encoder) }},
		selector:  newSpanSelector(cfg.Spans),
		// A longer Retry-After than this only means giving up, which the retry sender
		// decides from max_elapsed_time; with retries that never expire, the longest
		// wait is max_interval.
		maxRetryDelay: max(cfg.RetryConfig.MaxElapsedTime, cfg.RetryConfig.MaxInterval),
		mapping:       newGenaiSettings(cfg),
	}, nil
}

// start builds the HTTP client; only here are the auth extensions available.
func (e *heliconeExporter) start(ctx context.Context, host component.Host) error {
	// The exporter compresses bodies itself (see compressor); the transport must not.
	clientConfig := e.config.ClientConfig
	compressor, err := newCompressor(clientConfig.Compression, clientConfig.CompressionParams.Level)
	if err != nil {
		return err
	}
	e.compressor = compressor
	if e.compressor != nil {
		clientConfig.Compression = ""
	}
	client, err := clientConfig.ToClient(ctx, host.GetExtensions(), e.settings)
	if err != nil {
		return err
	}
	e.client = client
	if e.config.sendsKeyInClear() {
		e.logger.Warn("api_key is sent over plain http to a host that is not this machine; use an https endpoint",
			zap.String("endpoint", e.config.ClientConfig.Endpoint))
	}
	return nil
}

// dropReason labels the exporter_helicone_dropped_spans metric.
type dropReason string

const (
	dropNotLLM   dropReason = "not_llm"
	dropWrapper  dropReason = "wrapper" // an SDK or framework span around LLM calls
	dropTooLarge dropReason = "too_large"
)

func (e *heliconeExporter) pushTraces(ctx context.Context, td ptrace.Traces) error {
	enc := e.encoders.Get().(*encoder)
	defer e.encoders.Put(enc)
	// Repairs and mapping issues are counted for the bodies Helicone took, so that a
	// span re-encoded after a 413, or retried later, is counted once.
	var sent encodeStats
	defer e.reportRepairs(ctx, &sent)

	enc.mapping = e.mapping
	refs := e.selectSpans(ctx, td, enc)
	enc.refs = refs
	spanCap := len(refs) // lowered when a proxy answers 413
	for lo := 0; lo < len(refs); {
		hi := min(len(refs), lo+spanCap)
		enc.stats = encodeStats{}
		body, n := enc.fill(enc.body[:0], td, refs[lo:hi], e.config.MaxRequestSize)
		enc.body = body
		if n == 0 {
			e.dropTooLarge(ctx, "larger than max_request_size", td, refs[lo], e.encodedSize(enc, td, refs[lo]))
			lo++
			continue
		}
		err := e.send(ctx, body)
		switch {
		case err == nil:
			sent.add(&enc.stats)
			lo += n
		case errors.Is(err, errTooLarge) && n > 1:
			spanCap = n / 2
			e.logger.Warn("Helicone or a proxy in front of it answered 413; splitting the request. Lower max_request_size to avoid the extra round trips.",
				zap.Int("spans", n), zap.Int("body_bytes", len(body)))
		case errors.Is(err, errTooLarge):
			e.dropTooLarge(ctx, "refused with 413 although alone in its request", td, refs[lo], len(body))
			lo++
		default:
			return e.remainderError(err, td, refs[lo:])
		}
	}
	return nil
}

// encodedSize is the size of the body that would hold ref alone.
func (e *heliconeExporter) encodedSize(enc *encoder, td ptrace.Traces, ref spanRef) int {
	body, _ := enc.fill(enc.body[:0], td, []spanRef{ref}, math.MaxInt)
	enc.body = body
	return len(body)
}

// remainderError returns err carrying only the spans not yet stored, so that a retry
// does not duplicate what Helicone already logged; permanent errors stay permanent.
func (e *heliconeExporter) remainderError(err error, td ptrace.Traces, pending []spanRef) error {
	if consumererror.IsPermanent(err) {
		return err
	}
	return consumererror.NewTraces(err, copySpans(td, pending))
}

func (e *heliconeExporter) dropTooLarge(ctx context.Context, why string, td ptrace.Traces, ref spanRef, size int) {
	e.countDropped(ctx, dropTooLarge, 1)
	span := spanAt(td, ref)
	e.logger.Error("Dropping a span Helicone cannot take: "+why+"; raise max_request_size (and the limit of any proxy in front of Helicone) to keep such spans",
		zap.Int("bytes", size), zap.Int("max_request_size", e.config.MaxRequestSize),
		zap.Stringer("trace_id", span.TraceID()), zap.Stringer("span_id", span.SpanID()))
}

func (e *heliconeExporter) countDropped(ctx context.Context, reason dropReason, n int) {
	e.telemetry.ExporterHeliconeDroppedSpans.Add(ctx, int64(n),
		metric.WithAttributes(attribute.String("reason", string(reason))))
}

// reportRepairs records what the encoder rewrote for Helicone in this push.
func (e *heliconeExporter) reportRepairs(ctx context.Context, stats *encodeStats) {
	for reason, n := range stats.repaired {
		if n == 0 {
			continue
		}
		name := repairReasonNames[reason]
		e.telemetry.ExporterHeliconeRepairedAttributes.Add(ctx, n,
			metric.WithAttributes(attribute.String("reason", name)))
		e.logger.Debug("Rewrote attribute values Helicone would reject", zap.String("reason", name), zap.Int64("count", n))
	}
	e.reportMappingIssues(ctx, stats)
}

// spanAt is the span ref locates in td.
func spanAt(td ptrace.Traces, r spanRef) ptrace.Span {
	return td.ResourceSpans().At(r.rs).ScopeSpans().At(r.ss).Spans().At(r.span)
}

// collectSpans appends a reference to every span of td to refs.
func collectSpans(td ptrace.Traces, refs []spanRef) []spanRef {
	for i := 0; i < td.ResourceSpans().Len(); i++ {
		rs := td.ResourceSpans().At(i)
		for j := 0; j < rs.ScopeSpans().Len(); j++ {
			for k := 0; k < rs.ScopeSpans().At(j).Spans().Len(); k++ {
				refs = append(refs, spanRef{rs: i, ss: j, span: k})
			}
		}
	}
	return refs
}

// copySpans builds new traces holding copies of the referenced spans, with their
// resources and scopes.
func copySpans(td ptrace.Traces, refs []spanRef) ptrace.Traces {
	out := ptrace.NewTraces()
	prev := spanRef{rs: -1, ss: -1}
	var rsOut ptrace.ResourceSpans
	var ssOut ptrace.ScopeSpans
	for _, r := range refs {
		rs := td.ResourceSpans().At(r.rs)
		if r.rs != prev.rs {
			rsOut = out.ResourceSpans().AppendEmpty()
			rs.Resource().CopyTo(rsOut.Resource())
			rsOut.SetSchemaUrl(rs.SchemaUrl())
		}
		ss := rs.ScopeSpans().At(r.ss)
		if r.rs != prev.rs || r.ss != prev.ss {
			ssOut = rsOut.ScopeSpans().AppendEmpty()
			ss.Scope().CopyTo(ssOut.Scope())
			ssOut.SetSchemaUrl(ss.SchemaUrl())
		}
		ss.Spans().At(r.span).CopyTo(ssOut.Spans().AppendEmpty())
		prev = r
	}
	return out
}
