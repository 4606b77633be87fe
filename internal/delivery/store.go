package delivery

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// Config bounds how long and how many records are kept.
type Config struct {
	// TTL is how long a span is remembered as accepted. It must outlast the
	// longest a batch can wait in the queue after part of it was accepted
	// (an outage plus restarts); 0 means DefaultTTL.
	TTL time.Duration
	// MaxSpans caps the spans remembered, the oldest records going first;
	// 0 means DefaultMaxSpans.
	MaxSpans int
}

// The defaults: a day of outage, and a quarter of a million spans (4 MiB on
// disk, about 20 MiB in memory), far more than a queue holds half sent.
const (
	DefaultTTL      = 24 * time.Hour
	DefaultMaxSpans = 1 << 18
)

// Store remembers which spans Helicone accepted, in a storage client and in
// memory. Its methods are safe for concurrent use.
type Store struct {
	client storage.Client
	ttl    time.Duration
	max    int
	now    func() time.Time

	mu       sync.Mutex
	records  []record      // oldest first
	accepted map[ID]string // the key of the newest record holding each ID
	spans    int           // IDs in records, counting repeats
	last     time.Time     // of the newest record, so keys stay unique
	// sending are the spans a send holds (Claim): the queue can hand out a span
	// twice at once (a replayed item next to its own copy), and only one may go.
	sending map[ID]struct{}
}

// New returns a Store over client, typically the storage extension's client
// for the exporter with a name of its own ("delivery").
func New(client storage.Client, cfg Config) *Store {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.MaxSpans <= 0 {
		cfg.MaxSpans = DefaultMaxSpans
	}
	return &Store{client: client, ttl: cfg.TTL, max: cfg.MaxSpans, now: time.Now, accepted: map[ID]string{}, sending: map[ID]struct{}{}}
}

// Open loads the records left by earlier runs, deleting those expired or
// over the cap. It needs a client that can walk its keys (storage.Walker,
// as filestorage is): records are found by walking, so that a write never
// has to update an index.
func (s *Store) Open(ctx context.Context) error {
	walker, ok := s.client.(storage.Walker)
	if !ok {
		return fmt.Errorf("the storage client %T cannot list its keys (storage.Walker), which delivery records need", s.client)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	err := walker.Walk(ctx, func(key string, value []byte) ([]*storage.Operation, error) {
		created, ok := parseKey(key)
		if !ok {
			return nil, nil
		}
		ids, err := unmarshalIDs(value)
		if err != nil || s.expired(created, now) {
			return []*storage.Operation{storage.DeleteOperation(key)}, nil
		}
		s.records = append(s.records, record{key: key, created: created, ids: ids})
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("loading delivery records: %w", err)
	}
	sort.Slice(s.records, func(i, j int) bool { return s.records[i].key < s.records[j].key })
	for _, r := range s.records {
		s.index(r)
	}
	if n := len(s.records); n > 0 {
		s.last = s.records[n-1].created
	}
	if ops := s.evictLocked(now); len(ops) > 0 {
		return s.client.Batch(ctx, ops...)
	}
	return nil
}

func (s *Store) expired(created, now time.Time) bool { return now.Sub(created) > s.ttl }

func (s *Store) index(r record) {
	for _, id := range r.ids {
		s.accepted[id] = r.key
	}
	s.spans += len(r.ids)
}

// Has reports whether Helicone accepted the span with id: a send must skip it.
func (s *Store) Has(id ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.accepted[id]
	return ok
}

// Claim reports whether the caller may send the span with id: Helicone has not
// accepted it and no other send holds it. If so the caller holds it until
// Release, and must Accept it if Helicone does.
func (s *Store) Claim(id ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, accepted := s.accepted[id]
	_, held := s.sending[id]
	if accepted || held {
		return false
	}
	s.sending[id] = struct{}{}
	return true
}

// Release lets others send the spans with ids again (or, once accepted, skip them).
func (s *Store) Release(ids []ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.sending, id)
	}
}

// Accept records that Helicone accepted the spans with ids, in one storage
// write (with the deletes of the records it pushes out). A failed write
// loses nothing; it can only cause duplicates after a restart.
func (s *Store) Accept(ctx context.Context, ids []ID) error {
	if len(ids) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	created := now
	if !created.After(s.last) {
		created = s.last.Add(time.Nanosecond)
	}
	s.last = created
	r := record{key: recordKey(created), created: created, ids: append([]ID(nil), ids...)}
	s.records = append(s.records, r)
	s.index(r)
	ops := append(s.evictLocked(now), storage.SetOperation(r.key, r.marshal()))
	return s.client.Batch(ctx, ops...)
}

// Spans is how many span IDs the store remembers.
func (s *Store) Spans() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.accepted)
}

// evictLocked drops the oldest records while they are expired or the store
// holds more than its cap, and returns their deletes. Forgetting a span can
// only make it be sent again, never lost.
func (s *Store) evictLocked(now time.Time) []*storage.Operation {
	var ops []*storage.Operation
	for len(s.records) > 1 && (s.expired(s.records[0].created, now) || s.spans > s.max) {
		r := s.records[0]
		s.records = s.records[1:]
		s.spans -= len(r.ids)
		for _, id := range r.ids {
			if s.accepted[id] == r.key { // not accepted again since
				delete(s.accepted, id)
			}
		}
		ops = append(ops, storage.DeleteOperation(r.key))
	}
	return ops
}
