package delivery

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Config bounds how long and how many records are kept.
type Config struct {
	// TTL is how long a record is kept after its batch's first accepted
	// request. It must outlast the longest a batch can wait in the queue
	// (an outage plus restarts); 0 means DefaultTTL.
	TTL time.Duration
	// MaxRecords caps the records kept; 0 means DefaultMaxRecords.
	MaxRecords int
}

// The defaults: a day of outage, and a few thousand split batches (an
// incomplete record of 8192 spans is about 1 KiB, a complete one 14 bytes).
const (
	DefaultTTL        = 24 * time.Hour
	DefaultMaxRecords = 4096
)

// Store keeps delivery records in a storage client. Its methods are safe
// for concurrent use; each Progress belongs to one caller.
type Store struct {
	client storage.Client
	ttl    time.Duration
	max    int
	now    func() time.Time

	mu sync.Mutex
	// index holds every record this store knows of. After Open walked the
	// storage it holds them all, so a batch missing from it needs no read.
	index  map[Fingerprint]entry
	walked bool
}

type entry struct {
	created  time.Time
	complete bool
}

// New returns a Store over client, typically the storage extension's
// client for the exporter with a name of its own (e.g. "delivery").
func New(client storage.Client, cfg Config) *Store {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.MaxRecords <= 0 {
		cfg.MaxRecords = DefaultMaxRecords
	}
	return &Store{client: client, ttl: cfg.TTL, max: cfg.MaxRecords, now: time.Now, index: map[Fingerprint]entry{}}
}

// Open loads the records left by earlier runs and deletes the expired ones.
// It needs a client that can walk its keys (storage.Walker, as filestorage
// and the in-memory test client are); with another, records are found as
// batches come (Begin reads each) and the cap counts only this run's.
func (s *Store) Open(ctx context.Context) error {
	walker, ok := s.client.(storage.Walker)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	err := walker.Walk(ctx, func(key string, value []byte) ([]*storage.Operation, error) {
		fp, ok := parseKey(key)
		if !ok {
			return nil, nil
		}
		r, err := unmarshalRecord(value)
		if err != nil || s.expired(r.created, now) {
			return []*storage.Operation{storage.DeleteOperation(key)}, nil
		}
		s.index[fp] = entry{created: r.created, complete: r.complete}
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("loading delivery records: %w", err)
	}
	s.walked = true
	if ops := s.evictLocked(now, 0); len(ops) > 0 {
		return s.client.Batch(ctx, ops...)
	}
	return nil
}

func (s *Store) expired(created, now time.Time) bool { return now.Sub(created) > s.ttl }

// Progress is what Helicone has accepted of one batch.
type Progress struct {
	fp       Fingerprint
	spans    int
	created  time.Time
	stored   bool   // a record is in storage
	accepted bitmap // nil once complete
}

// Accepted reports whether Helicone has the span at position i of the
// batch, counting spans across resources and scopes in order.
func (p *Progress) Accepted(i int) bool { return p.accepted == nil || p.accepted.has(i) }

// Remaining is how many spans are still to be sent.
func (p *Progress) Remaining() int {
	if p.accepted == nil {
		return 0
	}
	return p.spans - p.accepted.count()
}

// Begin returns what Helicone already has of td, read from its record. Call
// it before every attempt to send a batch, including in-memory retries, and
// retry the batch the queue gave rather than a remainder: records are kept
// by the queued batch's fingerprint.
func (s *Store) Begin(ctx context.Context, td ptrace.Traces) (*Progress, error) {
	p := &Progress{fp: FingerprintOf(td), spans: td.SpanCount()}
	p.accepted = make(bitmap, bitmapLen(p.spans))
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.index[p.fp]; !known && s.walked {
		return p, nil
	}
	b, err := s.client.Get(ctx, p.fp.key())
	if err != nil || b == nil {
		return p, err
	}
	r, err := unmarshalRecord(b)
	switch {
	case err != nil || r.spans != p.spans:
		// Not this batch's record: send everything.
		return p, nil
	case s.expired(r.created, s.now()):
		delete(s.index, p.fp)
		return p, s.client.Delete(ctx, p.fp.key())
	}
	s.index[p.fp] = entry{created: r.created, complete: r.complete}
	p.created, p.stored = r.created, true
	if r.complete {
		p.accepted = nil
	} else {
		p.accepted = r.accepted
	}
	return p, nil
}

// Accept records that Helicone accepted the spans at the given positions:
// one storage write, or none when the batch completes in its first request.
// A failed write loses nothing; it can only cause duplicates after a
// restart.
func (s *Store) Accept(ctx context.Context, p *Progress, positions []int) error {
	if p.accepted == nil {
		return nil
	}
	for _, i := range positions {
		p.accepted.set(i)
	}
	complete := p.accepted.count() == p.spans
	if complete {
		p.accepted = nil
		if !p.stored {
			return nil // sent in one request: the queue's acknowledgement records it
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !p.stored {
		p.created = now
	}
	r := record{created: p.created, spans: p.spans, complete: complete, accepted: p.accepted}
	ops := []*storage.Operation{storage.SetOperation(p.fp.key(), r.marshal())}
	if !p.stored {
		ops = append(ops, s.evictLocked(now, 1)...)
	}
	s.index[p.fp] = entry{created: p.created, complete: complete}
	p.stored = true
	return s.client.Batch(ctx, ops...)
}

// Forget deletes the record of a batch that leaves the queue without being
// sent whole (a permanent error, or retries given up).
func (s *Store) Forget(ctx context.Context, p *Progress) error {
	if !p.stored {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.index, p.fp)
	p.stored = false
	return s.client.Delete(ctx, p.fp.key())
}

// Records is how many records the store knows of.
func (s *Store) Records() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.index)
}

// evictLocked drops expired records, then the oldest (complete ones first)
// until room records more fit under the cap, and returns the deletes. It
// runs when a record is created: a linear pass over at most MaxRecords.
func (s *Store) evictLocked(now time.Time, room int) []*storage.Operation {
	var ops []*storage.Operation
	drop := func(fp Fingerprint) {
		delete(s.index, fp)
		ops = append(ops, storage.DeleteOperation(fp.key()))
	}
	for fp, e := range s.index {
		if s.expired(e.created, now) {
			drop(fp)
		}
	}
	for len(s.index) > 0 && len(s.index)+room > s.max {
		drop(s.firstToEvictLocked())
	}
	return ops
}

// firstToEvictLocked is the oldest complete record, else the oldest.
func (s *Store) firstToEvictLocked() Fingerprint {
	var first Fingerprint
	var best entry
	found := false
	for fp, e := range s.index {
		if !found || (e.complete && !best.complete) || (e.complete == best.complete && e.created.Before(best.created)) {
			first, best, found = fp, e, true
		}
	}
	return first
}
