package helicone

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testKey = "sk-helicone-test"

// serve runs s behind an httptest server for the test's lifetime.
func serve(t testing.TB, s *Server) string {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts.URL + s.opts.PathPrefix
}

type reply struct {
	status int
	header http.Header
	body   string
}

// post sends a request to base+TracePath; header entries override the
// defaults (JSON, the test key); an empty value removes the header.
func post(t *testing.T, base string, body []byte, header map[string]string) reply {
	t.Helper()
	resp, err := send(t, base, body, header)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func send(t *testing.T, base string, body []byte, header map[string]string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+TracePath, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testKey)
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return freshClient().Do(req)
}

// freshClient opens a connection per request, so that a dropped one is never
// retried and none outlives the test.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func oneSpan() []byte {
	return body(span("t1", "s1", strAttr("gen_ai.system", "openai"), strAttr("gen_ai.response.model", "gpt-4o")))
}

func TestServerAuth(t *testing.T) {
	url := serve(t, New(Options{APIKey: testKey}))
	for name, tc := range map[string]struct {
		auth   string
		status int
		says   string
	}{
		"bearer":     {"Bearer " + testKey, http.StatusOK, ""},
		"bare key":   {testKey, http.StatusOK, ""},
		"missing":    {"", http.StatusUnauthorized, "missing API key"},
		"empty":      {"Bearer ", http.StatusUnauthorized, "missing API key"},
		"unknown":    {"Bearer sk-helicone-other", http.StatusUnauthorized, "unknown API key"},
		"bare wrong": {"sk-helicone-other", http.StatusUnauthorized, "unknown API key"},
	} {
		t.Run(name, func(t *testing.T) {
			r := post(t, url, oneSpan(), map[string]string{"Authorization": tc.auth})
			require.Equal(t, tc.status, r.status, r.body)
			require.Contains(t, r.body, tc.says)
			require.NotContains(t, r.body, "sk-helicone-other", "never echo a key")
		})
	}
}

func TestServerAnyKeyWhenNoneConfigured(t *testing.T) {
	url := serve(t, New(Options{}))
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), map[string]string{"Authorization": "Bearer whatever"}).status)
	require.Equal(t, http.StatusUnauthorized, post(t, url, oneSpan(), map[string]string{"Authorization": ""}).status)
}

func TestServerRoute(t *testing.T) {
	s := New(Options{PathPrefix: "jawn/"})
	url := serve(t, s)
	require.True(t, strings.HasSuffix(url, "/jawn"))
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), nil).status)

	bare := strings.TrimSuffix(url, "/jawn")
	require.Equal(t, http.StatusNotFound, post(t, bare, oneSpan(), nil).status)
	require.Equal(t, http.StatusNotFound, post(t, url+"/v1", oneSpan(), nil).status)
	resp, err := freshClient().Get(url + TracePath)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Equal(t, 1, s.Attempts(), "404s are not attempts")
}

func TestServerContentType(t *testing.T) {
	url := serve(t, New(Options{}))
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), map[string]string{"Content-Type": "application/json; charset=utf-8"}).status)
	for _, ct := range []string{"text/plain", "", "application/x-protobuf"} {
		r := post(t, url, oneSpan(), map[string]string{"Content-Type": ct})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "Content-Type %q", ct)
		require.Contains(t, r.body, `"traceBody.resourceSpans"`)
	}
}

func TestServerEncodings(t *testing.T) {
	s := New(Options{})
	url := serve(t, s)
	raw := oneSpan()
	for _, tc := range []struct {
		encoding string
		wire     []byte
		status   int
	}{
		{"gzip", compress(t, raw, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) }), http.StatusOK},
		{"deflate", compress(t, raw, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) }), http.StatusOK},
		{"deflate", compress(t, raw, func(w io.Writer) io.WriteCloser { fw, _ := flate.NewWriter(w, flate.DefaultCompression); return fw }), http.StatusOK},
		{"gzip", raw, http.StatusInternalServerError},
		{"br", raw, http.StatusInternalServerError},
		{"zstd", raw, http.StatusInternalServerError},
	} {
		r := post(t, url, tc.wire, map[string]string{"Content-Encoding": tc.encoding})
		require.Equal(t, tc.status, r.status, "%s: %s", tc.encoding, r.body)
	}
	reqs := s.Requests()
	require.Len(t, reqs, 3)
	for _, req := range reqs {
		require.Equal(t, raw, req.Body, "recorded inflated")
		require.NotEqual(t, len(raw), req.WireBytes)
	}
}

func compress(t *testing.T, b []byte, writer func(io.Writer) io.WriteCloser) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := writer(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestServerBodyLimit(t *testing.T) {
	const limit = 64 << 10
	big := body(span("t", "s", strAttr("gen_ai.prompt.0.content", strings.Repeat("x", limit))))
	small := body(span("t", "s", strAttr("gen_ai.prompt.0.content", strings.Repeat("x", limit-1024))))
	gzipped := func(b []byte) []byte {
		return compress(t, b, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
	}
	for name, tc := range map[string]struct {
		opts     Options
		body     []byte
		encoding string
		status   int
	}{
		"under":                 {Options{MaxBodyBytes: limit}, small, "", http.StatusOK},
		"over answers 500":      {Options{MaxBodyBytes: limit}, big, "", http.StatusInternalServerError},
		"over as ingress":       {Options{MaxBodyBytes: limit, TooLargeStatus: http.StatusRequestEntityTooLarge}, big, "", http.StatusRequestEntityTooLarge},
		"limit after inflation": {Options{MaxBodyBytes: limit, TooLargeStatus: http.StatusRequestEntityTooLarge}, gzipped(big), "gzip", http.StatusRequestEntityTooLarge},
		"default is 50 MB":      {Options{}, big, "", http.StatusOK},
	} {
		t.Run(name, func(t *testing.T) {
			r := post(t, serve(t, New(tc.opts)), tc.body, map[string]string{"Content-Encoding": tc.encoding})
			require.Equal(t, tc.status, r.status, r.body)
		})
	}
}

func TestServerInvalidJSONIs500(t *testing.T) {
	s := New(Options{})
	r := post(t, serve(t, s), []byte(`{"resourceSpans":`), nil)
	require.Equal(t, http.StatusInternalServerError, r.status)
	require.Zero(t, s.SpanCount())
}

func TestServerValidationFailed(t *testing.T) {
	s := New(Options{})
	r := post(t, serve(t, s), withSpan(t, func(sp map[string]any) { sp["parentSpanId"] = "p" }), nil)
	require.Equal(t, http.StatusUnprocessableEntity, r.status)
	var got struct {
		Message string                    `json:"message"`
		Details map[string]map[string]any `json:"details"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.body), &got))
	require.Equal(t, "Validation Failed", got.Message)
	require.Equal(t, map[string]map[string]any{
		"spans.$0": {"message": `"parentSpanId" is an excess property and therefore is not allowed`, "value": map[string]any{"parentSpanId": "p"}},
	}, got.Details)
	require.Zero(t, s.SpanCount(), "one bad field fails the whole request")
}

func TestServerRecords(t *testing.T) {
	s := New(Options{APIKey: testKey})
	url := serve(t, s)
	b := body(span("t1", "s1"), span("t1", "s2"))
	r := post(t, url, b, map[string]string{"User-Agent": "test-agent"})
	require.Equal(t, http.StatusOK, r.status)
	require.Empty(t, r.body, "the server answers 200 with nothing")

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	require.Equal(t, b, reqs[0].Body)
	require.Equal(t, "test-agent", reqs[0].Header.Get("User-Agent"))
	require.Equal(t, "Bearer "+testKey, reqs[0].Header.Get("Authorization"))
	require.Len(t, reqs[0].Calls, 2)
	require.Equal(t, []string{"s1", "s2"}, []string{s.Calls()[0].SpanID, s.Calls()[1].SpanID})

	require.Equal(t, http.StatusOK, post(t, url, body(span("t1", "s2"), span("t1", "s3")), nil).status)
	require.Equal(t, 4, s.SpanCount())
	require.Equal(t, 3, s.UniqueSpans())
	require.Equal(t, 1, s.Duplicates())
	require.Equal(t, 2, s.Attempts())
}

func TestServerConcurrentAndWait(t *testing.T) {
	s := New(Options{})
	url := serve(t, s)
	const n = 16
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			resp, err := send(t, url, body(span("t", string(rune('a'+i)))), nil)
			if err == nil {
				statuses[i] = resp.StatusCode
				resp.Body.Close()
			}
		})
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitForSpans(ctx, n))
	wg.Wait()
	for _, st := range statuses {
		require.Equal(t, http.StatusOK, st)
	}
	require.Equal(t, n, s.UniqueSpans())
	require.Zero(t, s.Duplicates())
}

func TestServerWaitForSpansTimesOut(t *testing.T) {
	s := New(Options{})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, s.WaitForSpans(ctx, 1), context.DeadlineExceeded)
}

// A test can start the server late ("down" until then), stop it and start
// it again on the same address; the record survives.
func TestServerStartCloseStart(t *testing.T) {
	s := New(Options{PathPrefix: "/jawn"})
	require.Empty(t, s.URL())
	require.NoError(t, s.Start("127.0.0.1:0"))
	url := s.URL()
	require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"))
	require.True(t, strings.HasSuffix(url, "/jawn"))
	require.Error(t, s.Start("127.0.0.1:0"), "already started")
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), nil).status)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")

	_, err := send(t, url, oneSpan(), nil)
	require.Error(t, err, "down")

	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/jawn")
	require.NoError(t, s.Start(addr))
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	require.Equal(t, http.StatusOK, post(t, url, oneSpan(), nil).status)
	require.Equal(t, 2, s.SpanCount())
}

func TestServerCallbacks(t *testing.T) {
	var mu sync.Mutex
	var logged []int
	var rejected []string
	s := New(Options{
		APIKey: testKey,
		OnLog: func(r Request) {
			mu.Lock()
			defer mu.Unlock()
			logged = append(logged, len(r.Calls))
		},
		OnReject: func(status int, reason string) {
			mu.Lock()
			defer mu.Unlock()
			rejected = append(rejected, http.StatusText(status)+": "+reason)
		},
	})
	url := serve(t, s)
	post(t, url, oneSpan(), nil)
	post(t, url, oneSpan(), map[string]string{"Authorization": "nope"})
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []int{1}, logged)
	require.Equal(t, []string{"Unauthorized: unknown API key"}, rejected)
}
