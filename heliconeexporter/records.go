// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"

	"github.com/otelcol-helicone/otelcol-helicone/internal/delivery"
	"github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"
)

// recordsClientName sets the delivery records apart from the queue's own client
// in the same storage extension.
const recordsClientName = "delivery"

// openRecords opens the delivery records in the queue's storage extension, when
// the queue is on disk: the persistent queue replays whole items after a restart,
// and the records keep the spans Helicone already accepted from being sent again.
func (e *heliconeExporter) openRecords(ctx context.Context, host component.Host) error {
	queue := e.config.QueueConfig
	if !e.config.DeliveryRecords.Enabled || !queue.HasValue() || queue.Get().StorageID == nil {
		return nil
	}
	storageID := *queue.Get().StorageID
	ext, ok := host.GetExtensions()[storageID].(storage.Extension)
	if !ok {
		return fmt.Errorf("sending_queue.storage: %s is not a storage extension in service.extensions", storageID)
	}
	client, err := ext.GetClient(ctx, component.KindExporter, e.id, recordsClientName)
	if err != nil {
		return fmt.Errorf("delivery_records: %w", err)
	}
	store := delivery.New(client, delivery.Config{TTL: e.config.DeliveryRecords.TTL, MaxSpans: e.config.DeliveryRecords.MaxSpans})
	if err := store.Open(ctx); err != nil {
		_ = client.Close(ctx)
		return fmt.Errorf("delivery_records: %w; set delivery_records.enabled: false to run without them", err)
	}
	e.records, e.recordsClient = store, client
	e.logger.Info("Delivery records on: spans Helicone accepted are not sent again after a restart",
		zap.Stringer("storage", storageID), zap.Int("remembered_spans", store.Spans()))
	return nil
}

func (e *heliconeExporter) shutdown(ctx context.Context) error {
	if e.recordsClient == nil {
		return nil
	}
	return e.recordsClient.Close(ctx)
}

// skipAccepted removes from td the spans the records say Helicone has: a batch
// the queue replays after a restart, regrouped or not.
func (e *heliconeExporter) skipAccepted(td ptrace.Traces) int {
	if e.records == nil {
		return 0
	}
	skipped := 0
	td.ResourceSpans().RemoveIf(func(rs ptrace.ResourceSpans) bool {
		rs.ScopeSpans().RemoveIf(func(ss ptrace.ScopeSpans) bool {
			ss.Spans().RemoveIf(func(s ptrace.Span) bool {
				has := e.records.Has(delivery.IDOf(s))
				if has {
					skipped++
				}
				return has
			})
			return ss.Spans().Len() == 0
		})
		return rs.ScopeSpans().Len() == 0
	})
	if skipped > 0 {
		e.logger.Info("Skipped spans Helicone accepted before a restart", zap.Int("spans", skipped))
	}
	return skipped
}

// recordAccepted records that Helicone accepted the spans of refs. A failed write
// loses nothing: after a restart those spans would be sent again.
func (e *heliconeExporter) recordAccepted(ctx context.Context, td ptrace.Traces, refs []heliconebody.Ref) {
	if e.records == nil {
		return
	}
	ids := make([]delivery.ID, len(refs))
	for i, ref := range refs {
		ids[i] = delivery.IDOf(heliconebody.SpanAt(td, ref))
	}
	if err := e.records.Accept(ctx, ids); err != nil {
		e.logger.Warn("Could not record spans Helicone accepted; after a restart they may be sent again", zap.Error(err))
	}
}
