package logjoin

import (
	"container/list"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Joiner joins GenAI content records to their spans. It is safe for
// concurrent use: the traces and the logs pipeline call it from their own
// goroutines.
type Joiner struct {
	cfg Config
	now func() time.Time

	mu sync.Mutex
	// order holds every waiting span and unmatched record, oldest first;
	// with one MaxWait for all, that is also deadline order.
	order   *list.List
	spans   map[spanKey]*list.Element
	records map[spanKey][]*list.Element
	stats   Stats
}

type spanKey struct {
	trace pcommon.TraceID
	span  pcommon.SpanID
}

// held is one element of Joiner.order: a waiting span (isSpan, td set, with
// the records that reached it) or an unmatched record (rec set).
type held struct {
	isSpan   bool
	key      spanKey
	deadline time.Time
	size     int // bytes, the span's records included

	td   ptrace.Traces // one resource, scope and span
	recs []plog.LogRecord

	rec plog.LogRecord
}

// New returns a Joiner; now is its clock, time.Now when nil.
func New(cfg Config, now func() time.Time) (*Joiner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("logjoin: %w", err)
	}
	if cfg.Waits == nil {
		cfg.Waits = LLMWithoutContent
	}
	if now == nil {
		now = time.Now
	}
	return &Joiner{
		cfg: cfg, now: now, order: list.New(),
		spans: map[spanKey]*list.Element{}, records: map[spanKey][]*list.Element{},
		stats: newStats(),
	}, nil
}

// AddTraces takes a batch of spans and returns the spans to export now: those
// that need not wait, with any records already held for them as span events,
// and those released meanwhile (expired or over budget). It returns td itself
// when it holds nothing back and joins nothing; td is never modified.
func (j *Joiner) AddTraces(td ptrace.Traces) ptrace.Traces {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := j.expire()
	if !j.touches(td) {
		if out.ResourceSpans().Len() == 0 {
			return td
		}
		return appendCopy(out, td)
	}
	batch := ptrace.NewTraces()
	td.CopyTo(batch)
	for _, rs := range batch.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			ss.Spans().RemoveIf(func(span ptrace.Span) bool {
				key := spanKey{span.TraceID(), span.SpanID()}
				recs := j.takeRecords(key)
				if !j.cfg.Waits(span) || anyCompletes(recs) {
					j.join(span, recs)
					return false
				}
				j.hold(key, rs.Resource(), ss.Scope(), span, recs, out)
				return true
			})
		}
	}
	batch.ResourceSpans().MoveAndAppendTo(out.ResourceSpans())
	return out
}

// appendCopy appends a copy of td's spans to out's.
func appendCopy(out, td ptrace.Traces) ptrace.Traces {
	cp := ptrace.NewTraces()
	td.CopyTo(cp)
	cp.ResourceSpans().MoveAndAppendTo(out.ResourceSpans())
	return out
}

// touches says whether any span of td waits or has records held for it.
func (j *Joiner) touches(td ptrace.Traces) bool {
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				if len(j.records[spanKey{span.TraceID(), span.SpanID()}]) > 0 || j.cfg.Waits(span) {
					return true
				}
			}
		}
	}
	return false
}

// AddLogs takes a batch of log records. Content records join their waiting
// span or wait for it; the returned spans are those now complete, expired or
// released over budget. ld is never modified.
func (j *Joiner) AddLogs(ld plog.Logs) ptrace.Traces {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := j.expire()
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, rec := range sl.LogRecords().All() {
				j.addRecord(rec, out)
			}
		}
	}
	return out
}

func (j *Joiner) addRecord(rec plog.LogRecord, out ptrace.Traces) {
	if !IsContentEvent(rec) {
		j.stats.Ignored[IgnoreNotContent]++
		return
	}
	if rec.TraceID().IsEmpty() || rec.SpanID().IsEmpty() {
		j.stats.Dropped[DropNoSpan]++
		return
	}
	cp := plog.NewLogRecord()
	rec.CopyTo(cp)
	size := recordSize(cp)
	key := spanKey{rec.TraceID(), rec.SpanID()}
	if e, ok := j.spans[key]; ok {
		h := e.Value.(*held)
		h.recs = append(h.recs, cp)
		h.size += size
		j.stats.HeldRecords++
		j.stats.HeldBytes += size
		if completes(cp) {
			j.release(e, ReleaseComplete, out)
			return
		}
	} else {
		e := j.order.PushBack(&held{key: key, deadline: j.now().Add(j.cfg.MaxWait), size: size, rec: cp})
		j.records[key] = append(j.records[key], e)
		j.stats.HeldRecords++
		j.stats.HeldBytes += size
	}
	j.enforceBudget(out)
}

// Expire releases the spans and drops the records whose wait is over, and
// returns the spans. The owner calls it on a ticker (e.g. every second), so
// that nothing waits much past MaxWait when no data flows.
func (j *Joiner) Expire() ptrace.Traces {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.expire()
}

// Flush returns every held span, with whatever records reached it, and drops
// the unmatched records; the Joiner is empty afterwards. Call it on shutdown.
func (j *Joiner) Flush() ptrace.Traces {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := ptrace.NewTraces()
	for e := j.order.Front(); e != nil; e = j.order.Front() {
		j.evict(e, ReleaseFlushed, DropShutdown, out)
	}
	return out
}

// Stats returns a copy of the counts.
func (j *Joiner) Stats() Stats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.stats.clone()
}

func (j *Joiner) expire() ptrace.Traces {
	out := ptrace.NewTraces()
	now := j.now()
	for e := j.order.Front(); e != nil && !now.Before(e.Value.(*held).deadline); e = j.order.Front() {
		j.evict(e, ReleaseExpired, DropExpired, out)
	}
	return out
}

func (j *Joiner) enforceBudget(out ptrace.Traces) {
	for j.order.Len() > 0 && (j.stats.HeldSpans+j.stats.HeldRecords > j.cfg.MaxItems || j.stats.HeldBytes > j.cfg.MaxBytes) {
		j.evict(j.order.Front(), ReleaseOverBudget, DropOverBudget, out)
	}
}

// evict removes the element: a span is released into out, a record dropped.
func (j *Joiner) evict(e *list.Element, release, drop Reason, out ptrace.Traces) {
	h := e.Value.(*held)
	if h.isSpan {
		j.release(e, release, out)
		return
	}
	j.order.Remove(e)
	j.removeRecord(h.key, e)
	j.stats.HeldRecords--
	j.stats.HeldBytes -= h.size
	j.stats.Dropped[drop]++
}

// release sends a waiting span, with its records as events, into out.
func (j *Joiner) release(e *list.Element, why Reason, out ptrace.Traces) {
	h := e.Value.(*held)
	j.order.Remove(e)
	if j.spans[h.key] == e { // a span sent twice waits twice; the map holds the newer
		delete(j.spans, h.key)
	}
	span := h.td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	AppendEvents(span, h.recs)
	j.stats.Joined += int64(len(h.recs))
	j.stats.HeldSpans--
	j.stats.HeldRecords -= len(h.recs)
	j.stats.HeldBytes -= h.size
	j.stats.Released[why]++
	h.td.ResourceSpans().MoveAndAppendTo(out.ResourceSpans())
}

// hold keeps a copy of span, with the records already here, until its last
// record arrives or its wait is over.
func (j *Joiner) hold(key spanKey, res pcommon.Resource, scope pcommon.InstrumentationScope, span ptrace.Span, recs []plog.LogRecord, out ptrace.Traces) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	res.CopyTo(rs.Resource())
	ss := rs.ScopeSpans().AppendEmpty()
	scope.CopyTo(ss.Scope())
	span.CopyTo(ss.Spans().AppendEmpty())
	size := heldSpanSize(span, res, scope)
	for _, r := range recs {
		size += recordSize(r)
	}
	j.spans[key] = j.order.PushBack(&held{isSpan: true, key: key, deadline: j.now().Add(j.cfg.MaxWait), size: size, td: td, recs: recs})
	j.stats.HeldSpans++
	j.stats.HeldRecords += len(recs)
	j.stats.HeldBytes += size
	j.enforceBudget(out)
}

// takeRecords removes and returns the unmatched records held for key.
func (j *Joiner) takeRecords(key spanKey) []plog.LogRecord {
	elems := j.records[key]
	if len(elems) == 0 {
		return nil
	}
	delete(j.records, key)
	recs := make([]plog.LogRecord, len(elems))
	for i, e := range elems {
		h := j.order.Remove(e).(*held)
		recs[i] = h.rec
		j.stats.HeldRecords--
		j.stats.HeldBytes -= h.size
	}
	return recs
}

// join adds recs to a span that goes out now.
func (j *Joiner) join(span ptrace.Span, recs []plog.LogRecord) {
	if len(recs) > 0 {
		AppendEvents(span, recs)
		j.stats.Joined += int64(len(recs))
	}
}

func (j *Joiner) removeRecord(key spanKey, e *list.Element) {
	elems := j.records[key]
	for i, x := range elems {
		if x == e {
			elems = append(elems[:i], elems[i+1:]...)
			break
		}
	}
	if len(elems) == 0 {
		delete(j.records, key)
	} else {
		j.records[key] = elems
	}
}

func anyCompletes(recs []plog.LogRecord) bool {
	for _, r := range recs {
		if completes(r) {
			return true
		}
	}
	return false
}
