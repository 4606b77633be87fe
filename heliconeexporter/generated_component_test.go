// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Mirrors the component tests mdatagen generates for metadata.yaml (mdatagen is not
// served by our module proxy, so this file is written by hand).

package heliconeexporter

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

var typ = component.MustNewType("helicone")

func TestComponentFactoryType(t *testing.T) {
	require.Equal(t, typ, NewFactory().Type())
}

func TestComponentConfigStruct(t *testing.T) {
	require.NoError(t, componenttest.CheckConfigStruct(NewFactory().CreateDefaultConfig()))
}

func TestComponentLifecycle(t *testing.T) {
	factory := NewFactory()

	cm, err := confmaptest.LoadConf("metadata.yaml")
	require.NoError(t, err)
	cfg := factory.CreateDefaultConfig()
	sub, err := cm.Sub("tests::config")
	require.NoError(t, err)
	require.NoError(t, sub.Unmarshal(&cfg))

	createFn := func(ctx context.Context, set exporter.Settings, cfg component.Config) (component.Component, error) {
		return factory.CreateTraces(ctx, set, cfg)
	}
	t.Run("traces-shutdown", func(t *testing.T) {
		c, err := createFn(context.Background(), exportertest.NewNopSettings(typ), cfg)
		require.NoError(t, err)
		require.NoError(t, c.Shutdown(context.Background()))
	})
	t.Run("traces-lifecycle", func(t *testing.T) {
		c, err := createFn(context.Background(), exportertest.NewNopSettings(typ), cfg)
		require.NoError(t, err)
		require.NoError(t, c.Start(context.Background(), componenttest.NewNopHost()))
		require.NotPanics(t, func() {
			e, ok := c.(exporter.Traces)
			require.True(t, ok)
			traces := generateLifecycleTestTraces()
			if !e.Capabilities().MutatesData {
				traces.MarkReadOnly()
			}
			err = e.ConsumeTraces(context.Background(), traces)
		})
		require.NoError(t, err)
		require.NoError(t, c.Shutdown(context.Background()))
	})
	t.Run("logs-lifecycle", func(t *testing.T) {
		c, err := factory.CreateLogs(context.Background(), exportertest.NewNopSettings(typ), cfg)
		require.NoError(t, err)
		require.NoError(t, c.Start(context.Background(), componenttest.NewNopHost()))
		logs := plog.NewLogs()
		rec := logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
		rec.Body().SetStr("test_record")
		logs.MarkReadOnly()
		require.NoError(t, c.ConsumeLogs(context.Background(), logs))
		require.NoError(t, c.Shutdown(context.Background()))
	})
}

func generateLifecycleTestTraces() ptrace.Traces {
	traces := ptrace.NewTraces()
	rs := traces.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("resource", "R1")
	span := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.Attributes().PutStr("test_attr", "value_1")
	span.SetName("test_span")
	span.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Now().Add(-1 * time.Second)))
	span.SetEndTimestamp(pcommon.NewTimestampFromTime(time.Now()))
	return traces
}
