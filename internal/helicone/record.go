package helicone

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Request is one request the server logged. Its fields are shared with the
// server's record: read them, do not modify them.
type Request struct {
	Received time.Time
	// Header is as sent, Authorization included so that tests can check it;
	// the Printer never prints it.
	Header    http.Header
	WireBytes int    // body size as sent, before inflation
	Body      []byte // the body after inflation
	Calls     []Call // one per span, as the server logged them
}

// recorder keeps what the server received. Every change closes changed, so
// that waiters wake without polling.
type recorder struct {
	mu         sync.Mutex
	attempts   int
	requests   []Request
	calls      []Call
	seen       map[string]bool // traceId/spanId
	duplicates int
	changed    chan struct{}
}

func newRecorder() *recorder {
	return &recorder{seen: map[string]bool{}, changed: make(chan struct{})}
}

func (r *recorder) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *recorder) attempt() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	r.notifyLocked()
}

func (r *recorder) log(req Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, req)
	for _, c := range req.Calls {
		key := c.TraceID + "/" + c.SpanID
		if r.seen[key] {
			r.duplicates++
		}
		r.seen[key] = true
	}
	r.calls = append(r.calls, req.Calls...)
	r.notifyLocked()
}

// waitFor blocks until cond, evaluated under the lock, holds or ctx ends.
func (r *recorder) waitFor(ctx context.Context, cond func() bool) error {
	for {
		r.mu.Lock()
		ok, changed := cond(), r.changed
		r.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// Attempts is how many requests reached the trace route, whatever the
// answer: retries, dropped connections and rejected requests included.
func (s *Server) Attempts() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return s.rec.attempts
}

// Requests are the logged requests in arrival order.
func (s *Server) Requests() []Request {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return append([]Request(nil), s.rec.requests...)
}

// Calls are the logged calls of all requests, in arrival order.
func (s *Server) Calls() []Call {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return append([]Call(nil), s.rec.calls...)
}

// SpanCount is how many spans were logged, duplicates included: what
// Helicone would show as request logs.
func (s *Server) SpanCount() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return len(s.rec.calls)
}

// UniqueSpans is how many distinct traceId/spanId pairs were logged.
func (s *Server) UniqueSpans() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return len(s.rec.seen)
}

// Duplicates is how many logged spans repeated a traceId/spanId already
// logged: each is a duplicate request log in Helicone.
func (s *Server) Duplicates() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return s.rec.duplicates
}

// WaitForSpans blocks until at least n spans were logged, or ctx ends.
func (s *Server) WaitForSpans(ctx context.Context, n int) error {
	return s.rec.waitFor(ctx, func() bool { return len(s.rec.calls) >= n })
}

// WaitForAttempts blocks until at least n requests reached the trace route,
// or ctx ends.
func (s *Server) WaitForAttempts(ctx context.Context, n int) error {
	return s.rec.waitFor(ctx, func() bool { return s.rec.attempts >= n })
}
