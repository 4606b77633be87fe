//go:build long

package faults

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// exchangeHeader tags each request the ledger hands to the fake Helicone, so
// that every span it logged can be traced back to the request that carried it.
const exchangeHeader = "X-Faults-Exchange"

// answerGrace is how long after an answer was written the collector may
// still not have acted on it: read it and recorded it on disk. A request
// answered less than this before a kill counts as in flight at the kill.
// Without it, a kill between Helicone's answer and the collector's record
// of it (the window the delivery records cannot close) would be blamed on
// the collector; it is far shorter than the seconds-old re-sends the tests
// exist to catch.
const answerGrace = 20 * time.Millisecond

// ledger is the fake Helicone behind a handler that keeps, for every
// request, when it was received and when its answer was written, so that a
// test can tell which requests were in flight when it killed the collector.
// It can fail a share of the requests (503 before Helicone sees them) and
// hold a logged request's answer back, as the real server, which logs a
// request's spans one by one, is still busy after logging the first.
type ledger struct {
	srv *helicone.Server
	url string

	mu        sync.Mutex
	rng       *rand.Rand
	failRate  float64
	holdMax   time.Duration
	exchanges []exchange
	// stops are the moments the test killed or stopped the collector.
	stops []time.Time

	// held and failed get a token (when empty) each time a logged request
	// starts being held and each time a request was failed.
	held, failed chan struct{}
}

// exchange is one request and its answer.
type exchange struct {
	received, answered time.Time // answered is zero while it is under way
	// connOpened is when its connection was opened: a request the server reads
	// after a kill on a connection opened before it was written by the killed
	// process, from the socket's buffer.
	connOpened time.Time
	status     int
	body       string // the answer's body, when not 200
}

// startLedger is a listening ledger in front of a fake Helicone accepting
// apiKey; seed makes its failures and holds.
func startLedger(t *testing.T, seed uint64) *ledger {
	t.Helper()
	l := &ledger{
		srv:    helicone.New(helicone.Options{APIKey: apiKey}),
		rng:    rand.New(rand.NewPCG(seed, seed^0x5bd1e995)),
		held:   make(chan struct{}, 1),
		failed: make(chan struct{}, 1),
	}
	hs := httptest.NewUnstartedServer(l)
	hs.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connOpenedKey{}, time.Now())
	}
	hs.Start()
	t.Cleanup(hs.Close)
	l.url = hs.URL
	return l
}

// setFaults fails this share of the requests from now on, and holds each
// logged request's answer back for up to holdMax.
func (l *ledger) setFaults(failRate float64, holdMax time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failRate, l.holdMax = failRate, holdMax
}

func (l *ledger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	seq := len(l.exchanges)
	opened, _ := r.Context().Value(connOpenedKey{}).(time.Time)
	l.exchanges = append(l.exchanges, exchange{received: time.Now(), connOpened: opened})
	fail := l.rng.Float64() < l.failRate
	var hold time.Duration
	if l.holdMax > 0 {
		hold = l.holdMax/4 + time.Duration(l.rng.Int64N(int64(l.holdMax)*3/4))
	}
	l.mu.Unlock()

	if fail {
		_, _ = io.Copy(io.Discard, r.Body)
		http.Error(w, `{"error":"injected outage"}`, http.StatusServiceUnavailable)
		l.answer(seq, http.StatusServiceUnavailable, "")
		signal(l.failed)
		return
	}
	r.Header.Set(exchangeHeader, strconv.Itoa(seq))
	rec := httptest.NewRecorder()
	l.srv.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK && hold > 0 {
		signal(l.held)
		time.Sleep(hold) // written after a kill, the answer goes nowhere
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
	body := ""
	if rec.Code != http.StatusOK {
		body = rec.Body.String()
	}
	l.answer(seq, rec.Code, body)
}

func (l *ledger) answer(seq, status int, body string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := &l.exchanges[seq]
	e.answered, e.status, e.body = time.Now(), status, body
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// drain empties c, so that the next token is news.
func drain(c chan struct{}) {
	select {
	case <-c:
	default:
	}
}

// kill SIGKILLs col and notes the moment, taken before the signal.
func (l *ledger) kill(col *otelcoltest.Collector) {
	l.noteStop()
	col.Kill()
}

// stop SIGTERMs col, as a rolling deploy does, and notes the moment.
func (l *ledger) stop(col *otelcoltest.Collector, timeout time.Duration) error {
	l.noteStop()
	return col.Stop(timeout)
}

func (l *ledger) noteStop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stops = append(l.stops, time.Now())
}

// count is how many requests the ledger received, and how many of them were
// answered with status (any status when 0).
func (l *ledger) count(status int) (received, answered int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.exchanges {
		if !e.answered.IsZero() && (status == 0 || e.status == status) {
			answered++
		}
	}
	return len(l.exchanges), answered
}

// unexpected are the answers other than 200 and the injected 503s, as
// "#seq: status", left out those to requests cut short by a kill (a body
// that ends early is a 500): Helicone refusing what the exporter sent is
// another bug than the one these tests are after.
func (l *ledger) unexpected() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for seq, e := range l.exchanges {
		if !e.answered.IsZero() && e.status != http.StatusOK && e.status != http.StatusServiceUnavailable && !l.inFlight(e, true) {
			out = append(out, fmt.Sprintf("#%d: %d %s", seq, e.status, strings.TrimSpace(e.body)))
		}
	}
	return out
}

// inFlight reports whether exchange e was received before a kill and not
// answered answerGrace or more before it; strict leaves out the grace.
func (l *ledger) inFlight(e exchange, strict bool) bool {
	grace := answerGrace
	if strict {
		grace = 0
	}
	for _, k := range l.stops {
		if e.underWayAt(k, grace) {
			return true
		}
	}
	return false
}

// underWayAt reports whether e was sent before t (received before t, or on a
// connection opened before t) and answered after t less grace, or never.
func (e exchange) underWayAt(t time.Time, grace time.Duration) bool {
	return e.sentBy().Before(t) && (e.answered.IsZero() || e.answered.After(t.Add(-grace)))
}

// sentBy is a time the process that sent e was running: when its connection
// was opened, or when the request was received.
func (e exchange) sentBy() time.Time {
	if !e.connOpened.IsZero() && e.connOpened.Before(e.received) {
		return e.connOpened
	}
	return e.received
}

// connOpenedKey holds, in a request's context, when its connection was opened.
type connOpenedKey struct{}

// copies are, for every span Helicone logged, the exchanges that logged it.
func (l *ledger) copies() map[otelcoltest.SpanID][]int {
	out := map[otelcoltest.SpanID][]int{}
	for _, req := range l.srv.Requests() {
		seq, err := strconv.Atoi(req.Header.Get(exchangeHeader))
		if err != nil {
			panic(fmt.Sprintf("a logged request without the %s header: %v", exchangeHeader, err))
		}
		for _, c := range req.Calls {
			id := otelcoltest.SpanID(c.TraceID + "/" + c.SpanID)
			out[id] = append(out[id], seq)
		}
	}
	return out
}

// tally is what happened to the spans the collector acknowledged.
type tally struct {
	sent, arrived, lost int
	// duplicated counts extra copies: a span logged 3 times adds 2.
	duplicated int
	// accounted are the extra copies explained by requests in flight at a
	// kill: a span's extra copies, up to how many of its copies came from
	// such requests; accountedStrict without answerGrace.
	accounted, accountedStrict int
	// inFlight are the requests in flight at the kills.
	inFlight, inFlightStrict int
	// perStop are the requests received and not answered at each stop.
	perStop []int
	// sameRun are the extra copies logged by the same collector process as
	// the copy before them: re-sent without a restart.
	sameRun int
	// unaccounted describes the first few unexplained duplicates.
	unaccounted []string
}

// tally compares what was sent with what Helicone logged.
func (l *ledger) tally(sent []otelcoltest.SpanID) tally {
	copies := l.copies()
	l.mu.Lock()
	defer l.mu.Unlock()
	t := tally{perStop: make([]int, len(l.stops))}
	for _, e := range l.exchanges {
		for i, k := range l.stops {
			if e.underWayAt(k, 0) {
				t.perStop[i]++
			}
		}
		if l.inFlight(e, true) {
			t.inFlightStrict++
		}
		if l.inFlight(e, false) {
			t.inFlight++
		}
	}
	t.sent = len(sent)
	for _, id := range sent {
		if len(copies[id]) > 0 {
			t.arrived++
		}
	}
	t.lost = t.sent - t.arrived
	for id, seqs := range copies {
		extra := len(seqs) - 1
		if extra == 0 {
			continue
		}
		t.duplicated += extra
		var inFlight, strict int
		for _, seq := range seqs {
			if l.inFlight(l.exchanges[seq], false) {
				inFlight++
			}
			if l.inFlight(l.exchanges[seq], true) {
				strict++
			}
		}
		for i := 1; i < len(seqs); i++ {
			if l.run(l.exchanges[seqs[i-1]].sentBy()) == l.run(l.exchanges[seqs[i]].sentBy()) {
				t.sameRun++
			}
		}
		t.accounted += min(extra, inFlight)
		t.accountedStrict += min(extra, strict)
		if inFlight < extra && len(t.unaccounted) < 5 {
			t.unaccounted = append(t.unaccounted, l.describe(id, seqs))
		}
	}
	return t
}

// run is the number of stops before t: which collector process was running.
// Called with mu held.
func (l *ledger) run(t time.Time) int {
	n := 0
	for _, k := range l.stops {
		if k.Before(t) {
			n++
		}
	}
	return n
}

// describe says when each copy of a span was received and answered,
// relative to the stops around it. Called with mu held.
func (l *ledger) describe(id otelcoltest.SpanID, seqs []int) string {
	s := fmt.Sprintf("span %s, logged %d times:", id, len(seqs))
	for _, seq := range seqs {
		e := l.exchanges[seq]
		s += fmt.Sprintf("\n    request #%d: answered %d %s", seq, e.status, l.sinceStop(e.answered))
	}
	return s
}

// sinceStop places t relative to the last stop before it, and the next.
func (l *ledger) sinceStop(t time.Time) string {
	prev, next := -1, -1
	for i, k := range l.stops {
		if k.Before(t) {
			prev = i
		} else if next < 0 {
			next = i
		}
	}
	s := ""
	if prev >= 0 {
		s += fmt.Sprintf("%v after stop %d", t.Sub(l.stops[prev]).Round(time.Millisecond), prev+1)
	}
	if next >= 0 {
		s += fmt.Sprintf(", %v before stop %d", l.stops[next].Sub(t).Round(time.Millisecond), next+1)
	}
	return s
}
