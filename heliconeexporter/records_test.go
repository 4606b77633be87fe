// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// storageHost is a host with one started file_storage extension.
type storageHost struct {
	component.Host
	id  component.ID
	ext component.Component
}

func (h storageHost) GetExtensions() map[component.ID]component.Component {
	return map[component.ID]component.Component{h.id: h.ext}
}

func startFileStorage(t *testing.T, dir string) storageHost {
	t.Helper()
	f := filestorage.NewFactory()
	cfg := f.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory, cfg.Compaction.Directory = dir, dir
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(f.Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	return storageHost{Host: componenttest.NewNopHost(), id: component.MustNewID("file_storage"), ext: ext}
}

// A split batch fails after two of its requests were accepted; the process
// stops; the next one, on the same storage, gets the same spans regrouped (as
// sending_queue.batch does after a restart) and sends only the rest. Without
// records the accepted parts are logged twice.
func TestRecordsSkipSpansAcceptedBeforeRestart(t *testing.T) {
	for _, records := range []bool{true, false} {
		var srv *helicone.Server
		var logged atomic.Int32
		srv = helicone.New(helicone.Options{APIKey: testKey, OnLog: func(helicone.Request) {
			if logged.Add(1) == 2 {
				srv.SetFaults(helicone.Faults{FailCount: helicone.Always, Fail: helicone.Failure{Status: 503}})
			}
		}})
		ts := httptest.NewServer(srv)
		dir := t.TempDir()
		push := func(batches ...ptrace.Traces) error {
			host := startFileStorage(t, dir)
			cfg := defaultConfig()
			cfg.ClientConfig.Endpoint = ts.URL
			cfg.APIKey = testKey
			cfg.MaxRequestSize = minRequestSize
			cfg.DeliveryRecords.Enabled = records
			queue := metadata.NewDefaultQueueBatchConfig()
			queue.StorageID = &host.id
			cfg.QueueConfig = configoptional.Some(queue)
			set := exportertest.NewNopSettings(metadata.Type)
			set.ID = component.NewID(metadata.Type) // the same after the restart
			exp, err := newExporter(cfg, set)
			require.NoError(t, err)
			require.NoError(t, exp.start(context.Background(), host))
			defer func() {
				require.NoError(t, exp.shutdown(context.Background()))
				require.NoError(t, host.ext.Shutdown(context.Background()))
			}()
			for _, td := range batches {
				if err := exp.pushTraces(context.Background(), td); err != nil {
					return err
				}
			}
			return nil
		}
		require.Error(t, push(llmTraces(30, 2000)), "the third request fails")
		stored := srv.UniqueSpans()
		require.Positive(t, stored)

		srv.SetFaults(helicone.Faults{})
		all := llmTraces(30, 2000)
		spans := all.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
		first, second := ptrace.NewTraces(), ptrace.NewTraces()
		all.ResourceSpans().At(0).CopyTo(first.ResourceSpans().AppendEmpty())
		all.ResourceSpans().At(0).CopyTo(second.ResourceSpans().AppendEmpty())
		first.ResourceSpans().At(0).ScopeSpans().At(0).Spans().RemoveIf(func(s ptrace.Span) bool { return s.SpanID()[2]%2 == 0 })
		second.ResourceSpans().At(0).ScopeSpans().At(0).Spans().RemoveIf(func(s ptrace.Span) bool { return s.SpanID()[2]%2 == 1 })
		require.Equal(t, spans.Len(), first.SpanCount()+second.SpanCount())
		require.NoError(t, push(second, first, all))
		assert.Equal(t, 30, srv.UniqueSpans(), "records %t", records)
		if records {
			assert.Zero(t, srv.Duplicates(), "the %d spans accepted before the restart, or a second copy of all, were sent again", stored)
		} else {
			assert.Equal(t, stored+30, srv.Duplicates(), "without records the accepted spans are sent again, and a copy the queue hands out twice")
		}
		ts.Close()
	}
}

// A retry after a 500 may log spans twice: they are counted.
func TestPossiblyDuplicatedSpansAreCounted(t *testing.T) {
	h := newHarness(t, helicone.Options{Faults: helicone.Faults{FailCount: 1, Fail: helicone.Failure{Status: 500}}},
		func(cfg *Config) { cfg.RetryConfig.Enabled = true })
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(3, 100)))
	assert.Equal(t, int64(3), h.counter(t, "otelcol_exporter_helicone_possibly_duplicated_spans", ""))

	h = newHarness(t, helicone.Options{Faults: helicone.Faults{FailCount: 1, Fail: helicone.Failure{Status: 503}}},
		func(cfg *Config) { cfg.RetryConfig.Enabled = true })
	require.NoError(t, h.exp.ConsumeTraces(context.Background(), llmTraces(3, 100)))
	assert.Zero(t, h.counter(t, "otelcol_exporter_helicone_possibly_duplicated_spans", ""), "a 503 was never logged")
}

func TestDeliveryRecordsConfigValidate(t *testing.T) {
	cfg := defaultConfig()
	cfg.APIKey = testKey
	require.True(t, cfg.DeliveryRecords.Enabled, "on by default; they act only with sending_queue.storage")
	require.NoError(t, cfg.Validate())
	cfg.DeliveryRecords.TTL = -1
	require.ErrorContains(t, cfg.Validate(), "delivery_records: ttl and max_spans must not be negative")
}
