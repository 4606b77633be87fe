// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-helicone/otelcol-helicone/internal/logjoin"
)

// components holds one sharedExporter per Config. The collector creates a
// component once per signal with the same *Config, and the traces and logs
// pipelines of one `helicone` exporter must share its queue and its joiner
// (the collector's own sharedcomponent package is internal to it).
var components = sharedExporters{byConfig: map[*Config]*sharedExporter{}}

type sharedExporters struct {
	mu       sync.Mutex
	byConfig map[*Config]*sharedExporter
}

// get returns the exporter of cfg, creating it on the first call.
func (s *sharedExporters) get(ctx context.Context, set exporter.Settings, cfg *Config) (*sharedExporter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.byConfig[cfg]; ok {
		return c, nil
	}
	c, err := newSharedExporter(ctx, set, cfg)
	if err != nil {
		return nil, err
	}
	c.remove = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.byConfig, cfg)
	}
	s.byConfig[cfg] = c
	return c, nil
}

// sharedExporter is one `helicone` exporter. Spans go through the key gate and
// the selection, then the joiner (when a logs pipeline uses the exporter
// too), then the queue; log records go to the joiner, which hands the spans
// they complete to the same queue. So the queue, and its storage, holds
// joined spans.
type sharedExporter struct {
	cfg   *Config
	exp   *heliconeExporter
	queue exporter.Traces // exporterhelper: queue, retries, pushTraces
	entry exporter.Traces // the traces pipeline's entry: key gate, selection, this

	// logs and traces are set when a pipeline of that signal uses this
	// exporter; they are read at Start, after the collector created every
	// pipeline's component.
	logs, traces bool
	// now is the joiner's clock; tests replace it.
	now    func() time.Time
	joiner atomic.Pointer[logjoin.Joiner] // nil: spans do not wait

	reportMu sync.Mutex
	reported logjoin.Stats // the counts already added to the metrics

	stop, stopped        chan struct{}
	startOnce, closeOnce sync.Once
	startErr             error
	remove               func()
}

func newSharedExporter(ctx context.Context, set exporter.Settings, cfg *Config) (*sharedExporter, error) {
	exp, err := newExporter(cfg, set)
	if err != nil {
		return nil, err
	}
	queue, err := newQueue(ctx, set, cfg, exp)
	if err != nil {
		return nil, err
	}
	c := &sharedExporter{cfg: cfg, exp: exp, queue: queue}
	// Spans without a tenant's key are refused first; then only LLM calls go on.
	c.entry = gateByKey(&selectingExporter{Traces: c, exp: exp}, exp)
	return c, nil
}

// Start starts the queue once, and the joiner when a logs pipeline uses this
// exporter: otherwise spans without content would wait for records that
// never come.
func (c *sharedExporter) Start(ctx context.Context, host component.Host) error {
	c.startOnce.Do(func() {
		if c.startErr = c.queue.Start(ctx, host); c.startErr != nil || !c.logs {
			return
		}
		if !c.traces {
			c.exp.logger.Warn("The helicone exporter is in a logs pipeline but in no traces pipeline: GenAI log records join spans of a traces pipeline with the same exporter, so they will all be dropped; add it to your traces pipeline")
		}
		if c.cfg.APIKeyFrom.enabled() {
			// A held span would leave the joiner without its request's key.
			c.exp.logger.Warn("GenAI log records are not joined to spans with api_key_from; they are dropped and counted with reason api_key_from")
			return
		}
		j, err := logjoin.New(c.cfg.Logs.joinConfig(), c.now)
		if c.startErr = err; err != nil {
			return
		}
		c.joiner.Store(j)
		c.stop, c.stopped = make(chan struct{}), make(chan struct{})
		go c.expireEvery(expireTick(c.cfg.Logs.MaxWait))
	})
	return c.startErr
}

// Shutdown, on the first call, hands every held span to the queue, then drains
// the queue.
func (c *sharedExporter) Shutdown(ctx context.Context) error {
	var err error
	c.closeOnce.Do(func() {
		if j := c.joiner.Swap(nil); j != nil {
			close(c.stop)
			<-c.stopped
			c.enqueue(ctx, j.Flush())
			c.report(ctx, j)
		}
		err = c.queue.Shutdown(ctx)
		if c.remove != nil {
			c.remove()
		}
	})
	return err
}

// Capabilities: the joiner copies what it keeps, and never changes its input.
func (*sharedExporter) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: false}
}

// ConsumeTraces queues the selected spans of td, less those that wait for
// their records, plus those the joiner releases meanwhile.
func (c *sharedExporter) ConsumeTraces(ctx context.Context, td ptrace.Traces) error {
	if j := c.joiner.Load(); j != nil {
		if td = j.AddTraces(td); td.SpanCount() == 0 {
			return nil
		}
	}
	return c.queue.ConsumeTraces(ctx, td)
}

// consumeLogs joins GenAI records to their spans and queues the spans they
// complete. It returns no error: the records are held or counted, and a
// retry of the logs would not help a span the queue refused.
func (c *sharedExporter) consumeLogs(ctx context.Context, ld plog.Logs) error {
	j := c.joiner.Load()
	if j == nil {
		n := int64(ld.LogRecordCount())
		if n > 0 && c.cfg.APIKeyFrom.enabled() {
			c.exp.telemetry.ExporterHeliconeDroppedLogRecords.Add(ctx, n, reasonAttr("api_key_from"))
		}
		return nil
	}
	c.enqueue(ctx, j.AddLogs(ld))
	return nil
}

// enqueue queues spans the joiner released outside the traces pipeline. A
// full queue is counted by the exporterhelper; it is logged here because no
// sender retries these spans.
func (c *sharedExporter) enqueue(ctx context.Context, td ptrace.Traces) {
	if td.SpanCount() == 0 {
		return
	}
	if err := c.queue.ConsumeTraces(ctx, td); err != nil {
		c.exp.logger.Error("Could not queue spans joined to their GenAI log records", zap.Int("spans", td.SpanCount()), zap.Error(err))
	}
}

// expireTick is how often held spans and records are checked: often enough
// that nothing waits much past max_wait.
func expireTick(maxWait time.Duration) time.Duration {
	return min(time.Second, max(maxWait/10, 10*time.Millisecond))
}

func (c *sharedExporter) expireEvery(tick time.Duration) {
	defer close(c.stopped)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.expire(context.Background())
		}
	}
}

// expire releases what waited max_wait and records the counts.
func (c *sharedExporter) expire(ctx context.Context) {
	if j := c.joiner.Load(); j != nil {
		c.enqueue(ctx, j.Expire())
		c.report(ctx, j)
	}
}

// report adds to the metrics what the joiner counted since the last report.
func (c *sharedExporter) report(ctx context.Context, j *logjoin.Joiner) {
	c.reportMu.Lock()
	defer c.reportMu.Unlock()
	s := j.Stats()
	tb := c.exp.telemetry
	addDeltas(ctx, tb.ExporterHeliconeDroppedLogRecords, s.Dropped, c.reported.Dropped)
	addDeltas(ctx, tb.ExporterHeliconeDroppedLogRecords, s.Ignored, c.reported.Ignored)
	addDeltas(ctx, tb.ExporterHeliconeWaitedSpans, s.Released, c.reported.Released)
	if d := s.Joined - c.reported.Joined; d > 0 {
		tb.ExporterHeliconeJoinedLogRecords.Add(ctx, d)
	}
	if d := s.Dropped[logjoin.DropOverBudget] - c.reported.Dropped[logjoin.DropOverBudget]; d > 0 {
		c.exp.logger.Warn("Dropped GenAI log records to stay within logs.max_items and logs.max_bytes; raise them, or lower logs.max_wait",
			zap.Int64("records", d), zap.Int("max_items", c.cfg.Logs.MaxItems), zap.Int("max_bytes", c.cfg.Logs.MaxBytes))
	}
	c.reported = s
}

func addDeltas(ctx context.Context, counter metric.Int64Counter, now, before map[logjoin.Reason]int64) {
	for reason, n := range now {
		if d := n - before[reason]; d > 0 {
			counter.Add(ctx, d, reasonAttr(string(reason)))
		}
	}
}

func reasonAttr(reason string) metric.AddOption {
	return metric.WithAttributes(attribute.String("reason", reason))
}

// logsExporter is the logs pipeline's face of a sharedExporter.
type logsExporter struct{ *sharedExporter }

func (l logsExporter) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	return l.consumeLogs(ctx, ld)
}
