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

// claims are what one push holds of the delivery records: the ID of each of its
// spans, and which of them it holds for sending (delivery.Store.Claim).
type claims struct {
	e       *heliconeExporter
	ids     []delivery.ID
	held    []bool
	skipped int
}

// newClaims computes the IDs of td's spans (p.refs) for the push; nil without records.
func (e *heliconeExporter) newClaims(p *pushScratch, td ptrace.Traces) *claims {
	if e.records == nil {
		return nil
	}
	c := &p.claims
	c.e, c.ids, c.held, c.skipped = e, c.ids[:0], c.held[:0], 0
	for _, ref := range p.refs {
		c.ids = append(c.ids, delivery.IDOf(heliconebody.SpanAt(td, ref)))
		c.held = append(c.held, false)
	}
	return c
}

// claim skips the spans from lo on that Helicone accepted (before a restart, or
// through a copy the queue handed out too) or another push is sending, and returns
// the run of at most limit spans from there that this push holds.
func (c *claims) claim(lo, limit int) (int, int) {
	for lo < len(c.ids) && !c.hold(lo) {
		lo++
		c.skipped++
	}
	hi := min(lo+limit, len(c.ids))
	for end := lo + 1; end < hi; end++ {
		if !c.hold(end) {
			return lo, end
		}
	}
	return lo, hi
}

func (c *claims) hold(i int) bool {
	if !c.held[i] {
		c.held[i] = c.e.records.Claim(c.ids[i])
	}
	return c.held[i]
}

// accept records that Helicone accepted the spans lo to hi-1. A failed write
// loses nothing: after a restart those spans would be sent again.
func (c *claims) accept(ctx context.Context, lo, hi int) {
	if c == nil {
		return
	}
	if err := c.e.records.Accept(ctx, c.ids[lo:hi]); err != nil {
		c.e.logger.Warn("Could not record spans Helicone accepted; after a restart they may be sent again", zap.Error(err))
	}
}

// release lets other pushes send what this one held, and logs what it skipped.
func (c *claims) release(context.Context) {
	if c == nil {
		return
	}
	var held []delivery.ID
	for i, h := range c.held {
		if h {
			held = append(held, c.ids[i])
		}
	}
	c.e.records.Release(held)
	if c.skipped > 0 {
		c.e.logger.Info("Skipped spans Helicone already accepted or another push is sending", zap.Int("spans", c.skipped))
	}
}
