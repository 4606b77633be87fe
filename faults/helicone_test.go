//go:build faults || long

package faults

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// apiKey is the key the collectors send; tests look for it in every log line.
const apiKey = "sk-helicone-faults-5f3c9a1e7b2d4c6f"

// endpoint is the fake Helicone of one test, with the time of every answer
// kept, so that tests can tell when a retry came.
type endpoint struct {
	*helicone.Server
	addr string

	mu      sync.Mutex
	answers []answer
}

// answer is one request the endpoint answered (or dropped: status 0).
type answer struct {
	at     time.Time
	status int
	reason string
}

// newEndpoint makes an endpoint that is not yet listening; start it with up.
func newEndpoint(t *testing.T, opts helicone.Options) *endpoint {
	t.Helper()
	e := &endpoint{}
	onLog := opts.OnLog
	opts.OnLog = func(r helicone.Request) {
		e.record(answer{at: time.Now(), status: 200})
		if onLog != nil {
			onLog(r)
		}
	}
	opts.OnReject = func(status int, reason string) {
		e.record(answer{at: time.Now(), status: status, reason: reason})
	}
	e.Server = helicone.New(opts)
	addr, err := otelcoltest.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	e.addr = addr
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// startEndpoint is a listening endpoint accepting apiKey, with faults.
func startEndpoint(t *testing.T, faults helicone.Faults) *endpoint {
	t.Helper()
	e := newEndpoint(t, helicone.Options{APIKey: apiKey, Faults: faults})
	e.up(t)
	return e
}

// up starts listening on the endpoint's address (again).
func (e *endpoint) up(t *testing.T) {
	t.Helper()
	if err := e.Start(e.addr); err != nil {
		t.Fatalf("starting the fake Helicone on %s: %v", e.addr, err)
	}
}

// baseURL is what the exporter is given, listening or not.
func (e *endpoint) baseURL() string { return "http://" + e.addr }

func (e *endpoint) record(a answer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.answers = append(e.answers, a)
}

// Answers are the requests answered so far, in order.
func (e *endpoint) Answers() []answer {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.answers)
}

// rejected are the answers other than success, as "status: reason".
func (e *endpoint) rejected() []string {
	var out []string
	for _, a := range e.Answers() {
		if a.status != 200 {
			out = append(out, fmt.Sprintf("%d: %s", a.status, a.reason))
		}
	}
	return out
}

// countStatus is how many answers had status.
func (e *endpoint) countStatus(status int) int {
	n := 0
	for _, a := range e.Answers() {
		if a.status == status {
			n++
		}
	}
	return n
}

// waitForAnswers blocks until n requests were answered with status.
func (e *endpoint) waitForAnswers(ctx context.Context, status, n int) error {
	for e.countStatus(status) < n {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d answers with status %d: %w", e.countStatus(status), n, status, context.Cause(ctx))
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// loggedIDs counts how often each span was logged.
func (e *endpoint) loggedIDs() map[otelcoltest.SpanID]int {
	ids := map[otelcoltest.SpanID]int{}
	for _, c := range e.Calls() {
		ids[otelcoltest.SpanID(c.TraceID+"/"+c.SpanID)]++
	}
	return ids
}

// waitForIDs blocks until every one of ids was logged.
func (e *endpoint) waitForIDs(ctx context.Context, ids []otelcoltest.SpanID) error {
	for {
		missing := missingIDs(e.loggedIDs(), ids)
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d spans never reached Helicone (first: %s): %w", len(missing), len(ids), missing[0], context.Cause(ctx))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func missingIDs(logged map[otelcoltest.SpanID]int, ids []otelcoltest.SpanID) []otelcoltest.SpanID {
	var missing []otelcoltest.SpanID
	for _, id := range ids {
		if logged[id] == 0 {
			missing = append(missing, id)
		}
	}
	return missing
}

// testContext is a context for one wait, ended with the test.
func testContext(t *testing.T, timeout time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// checkKeyNeverLogged fails the test for every line of the collector's
// output that holds the API key, or any sizeable piece of it.
func checkKeyNeverLogged(t *testing.T, col *otelcoltest.Collector) {
	t.Helper()
	secret := strings.TrimPrefix(apiKey, "sk-helicone-")
	for i, line := range col.Lines() {
		if strings.Contains(line, secret) || strings.Contains(line, secret[:8]) || strings.Contains(line, secret[len(secret)-8:]) {
			t.Errorf("log line %d holds the API key: %s", i+1, line)
		}
	}
}

func spanID(s string) otelcoltest.SpanID { return otelcoltest.SpanID(s) }

// containsFold reports whether substr is in s, ignoring case.
func containsFold(s, substr string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(substr))
}
