package heliconeexporter

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

const tenantHeader = "x-helicone-api-key"

// tenantCtx is the context a receiver with include_metadata hands on for a request
// that carried the header.
func tenantCtx(key, value string) context.Context {
	return client.NewContext(context.Background(), client.Info{
		Metadata: client.NewMetadata(map[string][]string{key: {value}}),
	})
}

// tenantTraces are n LLM spans of one tenant, named by service.name (which becomes
// the Service property) and with span ids unique across tenants.
func tenantTraces(tenant string, batch, n int) ptrace.Traces {
	td := llmTraces(n, 50)
	rs := td.ResourceSpans().At(0)
	rs.Resource().Attributes().PutStr("service.name", tenant)
	spans := rs.ScopeSpans().At(0).Spans()
	for i := range spans.Len() {
		spans.At(i).SetSpanID(pcommon.SpanID{byte(len(tenant)), tenant[len(tenant)-1], byte(batch >> 8), byte(batch), byte(i)})
	}
	return td
}

func withAPIKeyFrom(from APIKeyFromConfig) func(*Config) {
	return func(cfg *Config) { cfg.APIKeyFrom = from }
}

func TestAPIKeyFromMetadata(t *testing.T) {
	h := newHarness(t, helicone.Options{}, withAPIKeyFrom(APIKeyFromConfig{MetadataKey: tenantHeader}))
	require.NoError(t, h.exp.ConsumeTraces(tenantCtx("X-Helicone-API-Key", "sk-tenant-a"), llmTraces(2, 10)))
	require.NoError(t, h.exp.ConsumeTraces(tenantCtx(tenantHeader, "Bearer sk-tenant-b"), llmTraces(2, 10)))

	reqs := h.server.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer sk-tenant-a", reqs[0].Header.Get("Authorization"), "the tenant's key, not api_key")
	assert.Equal(t, "Bearer sk-tenant-b", reqs[1].Header.Get("Authorization"), "a Bearer prefix is not doubled")
}

func TestAPIKeyFromRefusesSpansWithoutKey(t *testing.T) {
	h := newHarness(t, helicone.Options{}, withAPIKeyFrom(APIKeyFromConfig{MetadataKey: tenantHeader, WhenMissing: missingRefuse}))
	for _, ctx := range []context.Context{context.Background(), tenantCtx(tenantHeader, "  "), tenantCtx("x-other", "sk-x")} {
		err := h.exp.ConsumeTraces(ctx, llmTraces(3, 10))
		require.Error(t, err)
		assert.True(t, consumererror.IsPermanent(err), "the sender must not retry: %v", err)
		assert.ErrorContains(t, err, `no Helicone API key in client metadata "x-helicone-api-key"`)
	}
	assert.Zero(t, h.server.Attempts(), "nothing reaches Helicone, not even under api_key")
	assert.Equal(t, int64(9), h.droppedSpans(t, "no_api_key"))
	assert.NotContains(t, h.allLogText(), testKey)
}

func TestAPIKeyFromFallsBackToAPIKey(t *testing.T) {
	h := newHarness(t, helicone.Options{}, withAPIKeyFrom(APIKeyFromConfig{MetadataKey: "authorization", WhenMissing: missingUseAPIKey}))
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(1, 10)))
	require.NoError(t, h.exp.ConsumeTraces(tenantCtx("authorization", "Bearer sk-tenant-c"), llmTraces(1, 10)))
	reqs := h.server.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer "+testKey, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer sk-tenant-c", reqs[1].Header.Get("Authorization"))
	assert.Zero(t, h.droppedSpans(t, "no_api_key"))
}

func TestAPIKeyFromKeyNeverInErrors(t *testing.T) {
	const key = "sk-tenant-secret-9876"
	h := newHarness(t, helicone.Options{Faults: helicone.Faults{
		FailCount: helicone.Always,
		Fail:      helicone.Failure{Status: 401, Body: `{"error":"bad key Bearer ` + key + `"}`},
	}}, withAPIKeyFrom(APIKeyFromConfig{MetadataKey: tenantHeader}))
	err := h.exp.ConsumeTraces(tenantCtx(tenantHeader, key), llmTraces(1, 10))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), key)
	assert.Contains(t, err.Error(), "[REDACTED]")
}

// TestAPIKeyFromBatchesNeverMixTenants sends two tenants' spans concurrently
// through the batching queue: every request carries one tenant's spans only,
// under that tenant's key, and none is lost.
func TestAPIKeyFromBatchesNeverMixTenants(t *testing.T) {
	const batches, spans = 20, 3
	h := newHarness(t, helicone.Options{}, func(cfg *Config) {
		cfg.APIKeyFrom = APIKeyFromConfig{MetadataKey: tenantHeader}
		queue := metadata.NewDefaultQueueBatchConfig()
		batch := queue.Batch.Get()
		batch.FlushTimeout = 20 * time.Millisecond
		batch.MinSize = 1000 // flushed by time, so batches would mix without partitions
		cfg.QueueConfig = configoptional.Some(queue)
	})
	keys := map[string]string{"tenant-a": "sk-tenant-a", "tenant-b": "sk-tenant-b"}
	var wg sync.WaitGroup
	for tenant, key := range keys {
		for b := range batches {
			wg.Go(func() {
				assert.NoError(t, h.exp.ConsumeTraces(tenantCtx(tenantHeader, key), tenantTraces(tenant, b, spans)))
			})
		}
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, h.server.WaitForSpans(ctx, len(keys)*batches*spans))

	perKey := map[string]int{}
	for i, req := range h.server.Requests() {
		auth := req.Header.Get("Authorization")
		for _, c := range req.Calls {
			tenant := c.Properties["Service"]
			assert.Equal(t, "Bearer "+keys[tenant], auth, "request %d: a %s span under another key", i, tenant)
		}
		perKey[auth] += len(req.Calls)
	}
	assert.Equal(t, map[string]int{"Bearer sk-tenant-a": batches * spans, "Bearer sk-tenant-b": batches * spans}, perKey)
	assert.Zero(t, h.server.Duplicates())
}
