//go:build faults

package faults

import (
	"net/http"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// matrixSpans is how many LLM spans each case sends, in one request.
const matrixSpans = 60

// faultCase is one way Helicone (or what is in front of it) misbehaves.
type faultCase struct {
	name   string
	faults func() helicone.Faults // set before the spans are sent
	// failures is how many failed answers to wait for before the faults
	// are cleared; 0 leaves count-based faults to run out by themselves.
	failures int
	// failStatus is the status of those answers.
	failStatus int
	// attempts is how many requests to wait for before the faults are
	// cleared, for faults that are not answered at all.
	attempts int
	// down starts the endpoint only after the collector failed to reach it.
	down bool
	// timeout is the exporter's client timeout; 0 means 5s.
	timeout time.Duration
	// retryAfter, when set, is the earliest the first retry may come after
	// the first failure, measured from that failure.
	retryAfter func(firstFailure time.Time) time.Duration
	// duplicates are expected: the endpoint logged before failing.
	duplicates bool
}

func faultCases() []faultCase {
	return []faultCase{
		{name: "500", faults: fail(3, helicone.Failure{Status: http.StatusInternalServerError})},
		{name: "502 from a proxy", faults: fail(3, helicone.Failure{Status: http.StatusBadGateway, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"})},
		{
			name:   "503 with Retry-After seconds",
			faults: fail(2, helicone.Failure{Status: http.StatusServiceUnavailable, RetryAfter: "2"}),
			retryAfter: func(time.Time) time.Duration {
				return 2 * time.Second
			},
		},
		func() faultCase {
			// An HTTP date has whole seconds: the retry may come up to a
			// second before first failure + 3s, never before the date.
			var date time.Time
			return faultCase{
				name: "429 with Retry-After HTTP-date",
				faults: func() helicone.Faults {
					date = time.Now().Add(3 * time.Second).UTC().Truncate(time.Second)
					return helicone.Faults{FailCount: 1, Fail: helicone.Failure{Status: http.StatusTooManyRequests, RetryAfter: date.Format(http.TimeFormat)}}
				},
				retryAfter: func(first time.Time) time.Duration { return date.Sub(first) },
			}
		}(),
		{
			name:   "hangs past the client timeout",
			faults: func() helicone.Faults { return helicone.Faults{Delay: time.Minute} },
			// The server notices a client giving up only once it reads
			// again: count the requests that arrived instead.
			attempts: 3,
			timeout:  500 * time.Millisecond,
		},
		{name: "resets connections", faults: func() helicone.Faults { return helicone.Faults{DropCount: 3} }},
		{name: "down at start, up later", down: true},
		{
			name:     "500 after logging",
			faults:   func() helicone.Faults { return helicone.Faults{LogThenFail: true} },
			failures: 1, failStatus: http.StatusInternalServerError,
			duplicates: true,
		},
	}
}

func fail(n int, f helicone.Failure) func() helicone.Faults {
	return func() helicone.Faults { return helicone.Faults{FailCount: n, Fail: f} }
}

// TestFaultMatrix sends LLM spans through the real collector while Helicone
// fails in each way it can fail, then recovers. Every span the collector
// acknowledged must reach Helicone (counted by unique span id), none more
// than once unless Helicone itself logged a request before failing it, the
// fault must have been hit and Retry-After honoured, and the collector's own
// metrics must agree with what Helicone saw: every span sent, none failed.
func TestFaultMatrix(t *testing.T) {
	for i, fc := range faultCases() {
		t.Run(fc.name, func(t *testing.T) {
			t.Parallel()
			srv := newEndpoint(t, helicone.Options{APIKey: apiKey})
			if !fc.down {
				srv.up(t)
			}
			timeout := fc.timeout
			if timeout == 0 {
				timeout = 5 * time.Second
			}
			col := startCollector(t, heliconeConfig(srv.baseURL(), timeout, ""))
			if fc.faults != nil {
				srv.SetFaults(fc.faults())
			}

			ids := sendSpans(t, col, matrixSpans, uint64(1000+i))

			switch {
			case fc.down:
				waitForLog(t, col, 30*time.Second, "Exporting failed. Will retry", "connection refused")
				srv.up(t)
			case fc.failures > 0:
				if err := srv.waitForAnswers(testContext(t, 30*time.Second), fc.failStatus, fc.failures); err != nil {
					t.Fatal(err)
				}
				srv.SetFaults(helicone.Faults{})
			case fc.attempts > 0:
				if err := srv.WaitForAttempts(testContext(t, 30*time.Second), fc.attempts); err != nil {
					t.Fatalf("%d of %d attempts: %v", srv.Attempts(), fc.attempts, err)
				}
				srv.SetFaults(helicone.Faults{})
			}
			if err := srv.waitForIDs(testContext(t, 60*time.Second), ids); err != nil {
				t.Fatal(err)
			}
			sent, failed := heliconeMetrics(t, col, len(ids))

			unique, logged, dups := srv.UniqueSpans(), srv.SpanCount(), srv.Duplicates()
			t.Logf("%d spans acknowledged; Helicone: %d attempts, %d spans logged, %d unique, %d duplicates; collector: sent %g, failed %g",
				len(ids), srv.Attempts(), logged, unique, dups, sent, failed)
			if unique != len(ids) {
				t.Errorf("Helicone logged %d distinct spans, the test sent %d", unique, len(ids))
			}
			if logged != unique+dups {
				t.Errorf("Helicone logged %d spans: %d unique + %d duplicates do not add up", logged, unique, dups)
			}
			switch {
			case fc.duplicates && dups == 0:
				t.Errorf("no duplicates although Helicone logged a request before failing it: did the fault apply?")
			case !fc.duplicates && dups != 0:
				t.Errorf("Helicone logged %d duplicate spans; a request that failed was not logged, so nothing may repeat", dups)
			}
			if sent != float64(len(ids)) || failed != 0 {
				t.Errorf("otelcol_exporter_sent_spans = %g and send_failed_spans = %g; Helicone got all %d spans, so want %d and 0", sent, failed, len(ids), len(ids))
			}
			if len(logLines(col, "Exporting failed. Will retry")) == 0 {
				t.Errorf("the collector never retried: the fault was not exercised")
			}
			if left := srv.Faults(); left.FailCount > 0 || left.DropCount > 0 {
				t.Errorf("faults left unused: %+v", left)
			}
			if fc.retryAfter != nil {
				checkRetryAfter(t, srv.Answers(), fc.retryAfter)
			}
			checkKeyNeverLogged(t, col)
			if !col.Running() {
				t.Fatalf("the collector exited: %v", col.ExitError())
			}
		})
	}
}

// checkRetryAfter asserts that the request after the first failure came no
// earlier than the server asked in Retry-After.
func checkRetryAfter(t *testing.T, answers []answer, want func(time.Time) time.Duration) {
	t.Helper()
	for i, a := range answers {
		if a.status == 200 || i+1 == len(answers) {
			continue
		}
		wait := want(a.at)
		// The answer is timed just before it is written, the retry just
		// after it is read: allow for the round trip.
		if got := answers[i+1].at.Sub(a.at); got < wait-50*time.Millisecond {
			t.Errorf("the retry came %s after the %d, Retry-After asked for %s", got.Round(time.Millisecond), a.status, wait.Round(time.Millisecond))
		} else {
			t.Logf("the retry came %s after the %d; Retry-After asked for %s", got.Round(time.Millisecond), a.status, wait.Round(time.Millisecond))
		}
		return
	}
	t.Errorf("no failure followed by a retry among %d answers", len(answers))
}
