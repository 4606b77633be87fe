//go:build long

package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// splitQueueConfig is crashConfig (the queue in file_storage, retries for as
// long as it takes) with requests to Helicone capped at 64 KiB, so that every
// batch is split: 200 spans of about 5 KiB are 16 requests or more.
var splitQueueConfig = strings.Replace(crashConfig, "    timeout: 5s\n", "    timeout: 5s\n    max_request_size: 65536\n", 1)

// largeSpanBytes is the retrieved context on each span of these tests.
const largeSpanBytes = 4096

// splitQueueOptions run the collector with splitQueueConfig in a directory
// of the test, its queue in queueDir.
func splitQueueOptions(t *testing.T, url string) (opts otelcoltest.Options, queueDir string) {
	t.Helper()
	if !strings.Contains(splitQueueConfig, "max_request_size") {
		t.Fatal("crashConfig changed: max_request_size found no place in it")
	}
	dir := t.TempDir()
	queueDir = filepath.Join(dir, "queue")
	if err := os.Mkdir(queueDir, 0o700); err != nil {
		t.Fatal(err)
	}
	return otelcoltest.Options{
		Binary: binary,
		Config: fmt.Sprintf(splitQueueConfig, queueDir, url),
		Env:    []string{"HELICONE_API_KEY=" + apiKey},
		Dir:    dir,
	}, queueDir
}

const (
	crashKills    = 20
	crashFailRate = 0.2                    // of Helicone's answers while the kills go on
	crashHold     = 120 * time.Millisecond // longest a logged request's answer is held
)

// killMoment is when in a run of the collector the test kills it.
type killMoment int

const (
	killAnytime  killMoment = iota // a random moment
	killInFlight                   // while a logged part of a split batch awaits its answer
	killBackoff                    // within the retry backoff after a 503
)

func (k killMoment) String() string {
	return [...]string{"anytime", "request in flight", "retry backoff"}[k]
}

// TestSplitBatchCrashes runs the collector with its queue on disk under
// steady load of large LLM spans, so that every batch is split over several
// requests, against a Helicone that fails a fifth of them; and SIGKILLs it at
// crashKills random moments (some at any time, some while a part is in
// flight, some in the retry backoff after a 503), restarting it each time on
// the same queue. At the end, with Helicone healthy, every span the collector
// acknowledged must have arrived, and every span logged twice must be
// explained by a request in flight at a kill: nothing Helicone had answered
// may be sent again. FAULTS_SEED=<n> repeats the moments of a run.
func TestSplitBatchCrashes(t *testing.T) {
	seed := faultsSeed(t)
	rng := rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d))
	l := startLedger(t, seed)
	l.setFaults(crashFailRate, crashHold)
	opts, _ := splitQueueOptions(t, l.url)
	col := otelcoltest.StartT(t, opts)
	opts = col.Options() // the same ports after each restart

	moments := make([]killMoment, crashKills)
	for i := range moments {
		moments[i] = killMoment(i % 3)
	}
	rng.Shuffle(len(moments), func(i, j int) { moments[i], moments[j] = moments[j], moments[i] })

	var sent []otelcoltest.SpanID
	start := time.Now()
	for i, moment := range moments {
		ctx, stopLoad := context.WithCancel(context.Background())
		results := make(chan otelcoltest.LoadResult, 1)
		go func() {
			res, err := otelcoltest.Load{
				Endpoint: opts.Ports.GRPC, Rate: 200, Workers: 2, SpansPerRequest: 10,
				ContextBytes: largeSpanBytes, Seed: seed + uint64(i+1)<<40, RecordIDs: true, Timeout: 5 * time.Second,
			}.Run(ctx)
			if err != nil {
				t.Error(err)
			}
			results <- res
		}()
		how := waitForMoment(l, rng, moment)
		stopLoad()
		l.kill(col)
		res := <-results
		sent = append(sent, res.Acked...)
		received, _ := l.count(0)
		t.Logf("kill %2d at %5.1fs, %s: %d spans acknowledged in this run, Helicone has had %d requests",
			i+1, time.Since(start).Seconds(), how, res.AckedSpans, received)
		if i == len(moments)-1 {
			l.setFaults(0, 0) // Helicone recovers for the drain
		}
		col = otelcoltest.StartT(t, opts)
	}

	waitErr := waitForLogged(testContext(t, 2*time.Minute), l, sent)
	settle(t, col, l)
	got := l.tally(sent)
	t.Logf("split-batch crashes (seed %d, %d kills): %d spans sent (acknowledged), %d arrived, %d lost, %d duplicated, "+
		"%d duplicates accounted for by %d requests in flight at the kills (strictly unanswered at the kill: %d duplicates, %d requests)",
		seed, crashKills, got.sent, got.arrived, got.lost, got.duplicated, got.accounted, got.inFlight, got.accountedStrict, got.inFlightStrict)
	t.Logf("requests in flight at each kill: %v", got.perStop)
	t.Logf("of the %d duplicates, %d were sent again by the process that sent the copy before (no restart in between)", got.duplicated, got.sameRun)
	if bad := l.unexpected(); len(bad) > 0 {
		t.Errorf("Helicone refused %d requests (other than the injected 503s): %v", len(bad), bad)
	}
	if got.lost != 0 || waitErr != nil {
		t.Errorf("%d of %d acknowledged spans were lost: %v", got.lost, got.sent, waitErr)
	}
	if n := got.duplicated - got.accounted; n != 0 {
		t.Errorf("%d duplicates are not explained by a request in flight at a kill: spans Helicone had already logged and answered were sent again. First ones:\n  %s",
			n, strings.Join(got.unaccounted, "\n  "))
	}
	if got.sent == 0 {
		t.Error("no span was acknowledged")
	}
	if !col.Running() {
		t.Errorf("the last collector exited: %v", col.ExitError())
	}
}

// waitForMoment waits, after a random run-up, for a moment of the kind and
// describes it.
func waitForMoment(l *ledger, rng *rand.Rand, moment killMoment) string {
	time.Sleep(300*time.Millisecond + time.Duration(rng.Int64N(int64(1500*time.Millisecond))))
	var c chan struct{}
	switch moment {
	case killAnytime:
		return moment.String()
	case killInFlight:
		c = l.held
	case killBackoff:
		c = l.failed
	}
	drain(c)
	select {
	case <-c:
	case <-time.After(5 * time.Second):
		return moment.String() + " (none came within 5s: anytime)"
	}
	if moment == killBackoff {
		// The first retry comes 50 to 150 ms after the 503.
		d := time.Duration(rng.Int64N(int64(40 * time.Millisecond)))
		time.Sleep(d)
		return fmt.Sprintf("%s, %v after a 503", moment, d.Round(time.Millisecond))
	}
	return moment.String()
}

// waitForLogged blocks until Helicone logged every one of ids.
func waitForLogged(ctx context.Context, l *ledger, ids []otelcoltest.SpanID) error {
	for {
		copies := l.copies()
		missing := 0
		for _, id := range ids {
			if len(copies[id]) == 0 {
				missing++
			}
		}
		if missing == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d spans never reached Helicone: %w", missing, len(ids), context.Cause(ctx))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// settle waits until the collector's queue is empty and Helicone got no
// request for a second, so that late copies are counted too.
func settle(t *testing.T, col *otelcoltest.Collector, l *ledger) {
	t.Helper()
	ctx := testContext(t, time.Minute)
	if _, err := col.WaitForMetrics(ctx, func(m otelcoltest.Metrics) bool {
		return m.Has(otelcoltest.QueueSize, "exporter", "helicone") && m.Sum(otelcoltest.QueueSize, "exporter", "helicone") == 0
	}); err != nil {
		t.Errorf("the queue never emptied: %v", err)
	}
	for last, _ := l.count(0); ; {
		select {
		case <-ctx.Done():
			t.Errorf("Helicone kept getting requests: %v", context.Cause(ctx))
			return
		case <-time.After(time.Second):
		}
		n, _ := l.count(0)
		if n == last {
			return
		}
		last = n
	}
}

// faultsSeed is FAULTS_SEED, else a new seed; it is logged either way.
func faultsSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("FAULTS_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("FAULTS_SEED=%q: want an unsigned integer: %v", s, err)
		}
	}
	t.Logf("seed %d (FAULTS_SEED=%d repeats this run's moments)", seed, seed)
	return seed
}

// waitForStatus blocks until the ledger answered n requests with status.
func waitForStatus(ctx context.Context, l *ledger, status, n int) error {
	for {
		if _, got := l.count(status); got >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			_, got := l.count(status)
			return fmt.Errorf("%d of %d answers %d: %w", got, n, status, context.Cause(ctx))
		case <-time.After(20 * time.Millisecond):
		}
	}
}
