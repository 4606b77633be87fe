package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// key returns the Helicone key carried by the request that brought ctx's spans in.
// The queue keeps client metadata with each batch (on disk too, with file_storage),
// and partitions batches by this key, so ctx here is the sender's own.
func (c APIKeyFromConfig) key(ctx context.Context) (configopaque.String, bool) {
	if !c.enabled() {
		return "", false
	}
	for _, v := range client.FromContext(ctx).Metadata.Get(c.MetadataKey) {
		if k := trimBearer(v); k != "" {
			return configopaque.String(k), true
		}
	}
	return "", false
}

// trimBearer removes the scheme of an Authorization value, so that a request's own
// "Authorization: Bearer <key>" can carry the Helicone key.
func trimBearer(v string) string {
	v = strings.TrimSpace(v)
	if scheme, rest, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	return v
}

// apiKey is the key the spans of ctx are sent with: the tenant's, else api_key.
func (e *heliconeExporter) apiKey(ctx context.Context) string {
	if k, ok := e.config.APIKeyFrom.key(ctx); ok {
		return string(k)
	}
	return string(e.config.APIKey)
}

// keyGate refuses spans that came without a key when api_key_from.when_missing is
// refuse: before the queue, so the sending application sees the error and nothing
// is stored that could never be sent.
type keyGate struct {
	exporter.Traces
	exp *heliconeExporter
}

func (g keyGate) ConsumeTraces(ctx context.Context, td ptrace.Traces) error {
	from := g.exp.config.APIKeyFrom
	if _, ok := from.key(ctx); ok {
		return g.Traces.ConsumeTraces(ctx, td)
	}
	n := td.SpanCount()
	g.exp.countDropped(ctx, dropNoAPIKey, n)
	msg := fmt.Sprintf("no Helicone API key in client metadata %q: send it as that header (the receiver needs include_metadata: true), or set api_key_from.when_missing: use_api_key", from.MetadataKey)
	g.exp.logger.Warn("Refusing spans without a Helicone API key", zap.Int("spans", n), zap.String("reason", msg))
	// The status makes the OTLP receiver answer 401 / Unauthenticated, which
	// senders do not retry, instead of a 500.
	return consumererror.NewPermanent(status.Error(codes.Unauthenticated, msg))
}

// gateByKey wraps traces with keyGate when the configuration asks to refuse.
func gateByKey(traces exporter.Traces, exp *heliconeExporter) exporter.Traces {
	from := exp.config.APIKeyFrom
	if !from.enabled() || from.WhenMissing == missingUseAPIKey {
		return traces
	}
	return keyGate{Traces: traces, exp: exp}
}
