package helicone

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFaultsFailNextWithRetryAfter(t *testing.T) {
	for _, retryAfter := range []string{"7", "Wed, 21 Oct 2015 07:28:00 GMT"} {
		s := New(Options{Faults: Faults{FailCount: 2, Fail: Failure{Status: http.StatusServiceUnavailable, RetryAfter: retryAfter}}})
		url := serve(t, s)
		for range 2 {
			r := post(t, url, oneSpan(), nil)
			require.Equal(t, http.StatusServiceUnavailable, r.status)
			require.Equal(t, retryAfter, r.header.Get("Retry-After"))
		}
		r := post(t, url, oneSpan(), nil)
		require.Equal(t, http.StatusOK, r.status)
		require.Empty(t, r.header.Get("Retry-After"))
		require.Equal(t, 3, s.Attempts())
		require.Equal(t, 1, s.SpanCount(), "failed requests are not logged")
	}
}

func TestFaultsFailBodyVerbatimAndAlways(t *testing.T) {
	s := New(Options{})
	url := serve(t, s)
	s.SetFaults(Faults{FailCount: Always, Fail: Failure{Status: http.StatusTooManyRequests, Body: "slow down"}})
	for range 3 {
		r := post(t, url, oneSpan(), nil)
		require.Equal(t, http.StatusTooManyRequests, r.status)
		require.Equal(t, "slow down", r.body)
	}
	require.Equal(t, Always, s.Faults().FailCount, "Always never runs out")

	s.SetFaults(Faults{})
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), nil).status)
}

func TestFaultsDelay(t *testing.T) {
	const delay = 100 * time.Millisecond
	s := New(Options{Faults: Faults{Delay: delay}})
	url := serve(t, s)
	start := time.Now()
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), nil).status)
	require.GreaterOrEqual(t, time.Since(start), delay)
}

func TestFaultsDelayClientGivesUp(t *testing.T) {
	s := New(Options{Faults: Faults{Delay: time.Hour}})
	url := serve(t, s)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+TracePath, nil)
	require.NoError(t, err)
	_, err = freshClient().Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// The handler must notice and return, or the httptest cleanup hangs.
}

func TestFaultsDelayCutShortByClose(t *testing.T) {
	s := New(Options{Faults: Faults{Delay: time.Hour}})
	require.NoError(t, s.Start("127.0.0.1:0"))
	errc := make(chan error, 1)
	go func() {
		resp, err := send(t, s.URL(), oneSpan(), nil)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitForAttempts(ctx, 1))
	require.NoError(t, s.Close())
	require.Error(t, <-errc, "no answer")
	require.Zero(t, s.SpanCount())
}

func TestFaultsDrop(t *testing.T) {
	s := New(Options{Faults: Faults{DropCount: 1}})
	url := serve(t, s)
	_, err := send(t, url, oneSpan(), nil)
	require.Error(t, err)
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), nil).status)
	require.Equal(t, 2, s.Attempts())
	require.Equal(t, 1, s.SpanCount())
	require.Zero(t, s.Faults().DropCount)
}

func TestFaultsLogThenFailDuplicatesOnRetry(t *testing.T) {
	s := New(Options{Faults: Faults{LogThenFail: true}})
	url := serve(t, s)
	b := body(span("t1", "s1"), span("t1", "s2"))
	r := post(t, url, b, nil)
	require.Equal(t, http.StatusInternalServerError, r.status)
	require.Equal(t, 2, s.SpanCount(), "logged before failing")

	s.SetFaults(Faults{})
	require.Equal(t, http.StatusOK, post(t, url, b, nil).status)
	require.Equal(t, 4, s.SpanCount())
	require.Equal(t, 2, s.UniqueSpans())
	require.Equal(t, 2, s.Duplicates())
}

func TestFaultsLogThenFailStillValidates(t *testing.T) {
	s := New(Options{Faults: Faults{LogThenFail: true}})
	r := post(t, serve(t, s), withSpan(t, func(sp map[string]any) { sp["flags"] = 0 }), nil)
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	require.Zero(t, s.SpanCount())
}
