package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const llmSpan = `{"resourceSpans":[{"resource":{"attributes":[],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"s","version":""},"spans":[` +
	`{"traceId":"t1","spanId":"s1","name":"openai.chat","kind":3,"startTimeUnixNano":"1","endTimeUnixNano":"2",` +
	`"attributes":[{"key":"gen_ai.system","value":{"stringValue":"openai"}},{"key":"gen_ai.response.model","value":{"stringValue":"gpt-4o"}}],` +
	`"droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"links":[],"droppedLinksCount":0,"status":{"code":0}}]}]}]}`

// devserver runs the command in-process on a free port. It returns the
// endpoint from the banner, the lines printed after it, and a stop function
// that returns run's error.
func devserver(t *testing.T, args ...string) (endpoint string, lines <-chan string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
		done <- err
	}()
	out := make(chan string, 100)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			out <- sc.Text()
		}
	}()
	banner := next(t, out)
	require.Contains(t, banner, "set the exporter's endpoint to http://127.0.0.1:")
	endpoint = strings.Fields(strings.SplitAfter(banner, "endpoint to ")[1])[0]
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		err := <-done
		for range out { // drain, so the printer never blocks
		}
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return endpoint, out, stop
}

// next is the next printed line; the wait is bounded, never a sleep.
func next(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		require.True(t, ok, "output ended")
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("no output within 10s")
		return ""
	}
}

func postSpan(t *testing.T, endpoint, key string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint+helicone.TracePath, strings.NewReader(llmSpan))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp
}

func TestRunServesAndPrints(t *testing.T) {
	jsonl := filepath.Join(t.TempDir(), "bodies.jsonl")
	endpoint, lines, stop := devserver(t, "-path-prefix", "/jawn", "-jsonl", jsonl)
	require.True(t, strings.HasSuffix(endpoint, "/jawn"))

	require.Equal(t, http.StatusOK, postSpan(t, endpoint, "any-key").StatusCode)
	require.Contains(t, next(t, lines), "logged 1 span(s)")
	require.Contains(t, next(t, lines), `call "openai.chat": provider OPENAI, model gpt-4o`)

	require.NoError(t, stop())
	b, err := os.ReadFile(jsonl)
	require.NoError(t, err)
	require.Equal(t, llmSpan+"\n", string(b))
}

func TestRunAPIKeyFromEnv(t *testing.T) {
	t.Setenv("HELICONE_DEVSERVER_KEY", "sk-dev")
	endpoint, lines, stop := devserver(t)
	require.Equal(t, http.StatusUnauthorized, postSpan(t, endpoint, "sk-other").StatusCode)
	line := next(t, lines)
	require.Contains(t, line, "rejected (401): unknown API key")
	require.NotContains(t, line, "sk-")
	require.Equal(t, http.StatusOK, postSpan(t, endpoint, "sk-dev").StatusCode)
	require.NoError(t, stop())
}

func TestRunFaultFlags(t *testing.T) {
	endpoint, _, stop := devserver(t, "-quiet", "-fail-status", "503", "-fail-count", "1", "-retry-after", "3")
	resp := postSpan(t, endpoint, "k")
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "3", resp.Header.Get("Retry-After"))
	require.Equal(t, http.StatusOK, postSpan(t, endpoint, "k").StatusCode)
	require.NoError(t, stop())
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-no-such-flag"},
		{"-fail-count", "2"},
		{"extra"},
	} {
		err := run(t.Context(), args, io.Discard)
		require.Error(t, err, "%q", args)
	}
}
