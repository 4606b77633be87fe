package helicone

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// recordedDir holds what Helicone's own server code did with each request
// (a byte-identical copy of ../shared/helicone/recorded; see its README).
const recordedDir = "../../testdata/helicone/recorded"

// recordedCase is one line of cases.jsonl.
type recordedCase struct {
	Case string `json:"case"`
	Sent struct {
		Path            string  `json:"path"`
		ContentType     string  `json:"content_type"`
		ContentEncoding *string `json:"content_encoding"`
		Authorization   *string `json:"authorization"`
		KeyValid        bool    `json:"key_valid"`
		BodyFile        string  `json:"body_file"`
	} `json:"sent"`
	Status int               `json:"status"`
	Answer json.RawMessage   `json:"answer"`
	Logs   []json.RawMessage `json:"logs"`
}

func loadCases(t testing.TB) []recordedCase {
	t.Helper()
	f, err := os.Open(filepath.Join(recordedDir, "cases.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	var cases []recordedCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var c recordedCase
		require.NoError(t, json.Unmarshal(sc.Bytes(), &c))
		cases = append(cases, c)
	}
	require.NoError(t, sc.Err())
	return cases
}

// TestContractRecorded replays every recorded request against the model
// over real HTTP and requires the server's status, its answer (the 422
// details key by key with their messages and values), and every log it
// made, field by field.
func TestContractRecorded(t *testing.T) {
	cases := loadCases(t)
	require.Len(t, cases, 56)
	var mu sync.Mutex
	var logged []Request
	s := New(Options{APIKey: testKey, OnLog: func(r Request) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, r)
	}})
	base := serve(t, s)
	jawn := serve(t, New(Options{APIKey: testKey, PathPrefix: "/jawn", OnLog: s.opts.OnLog}))
	for _, c := range cases {
		t.Run(c.Case, func(t *testing.T) {
			mu.Lock()
			logged = nil
			mu.Unlock()
			status, answer := replay(t, c, base, jawn)
			require.Equal(t, c.Status, status, "status; answer %s", answer)
			requireAnswer(t, c, answer)

			mu.Lock()
			defer mu.Unlock()
			var got []Call
			for _, r := range logged {
				got = append(got, r.Calls...)
			}
			require.Len(t, got, len(c.Logs), "logs")
			for i, want := range c.Logs {
				b, err := json.Marshal(got[i].Log)
				require.NoError(t, err)
				require.JSONEq(t, string(want), string(b), "log %d", i)
			}
		})
	}
}

// replay sends the case as it was sent: same path, headers and encoding.
func replay(t *testing.T, c recordedCase, base, jawn string) (int, []byte) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(recordedDir, c.Sent.BodyFile))
	require.NoError(t, err)
	url := base + c.Sent.Path
	if c.Sent.Path != TracePath {
		url = jawn[:len(jawn)-len("/jawn")] + c.Sent.Path
	}
	var enc string
	if c.Sent.ContentEncoding != nil {
		enc = *c.Sent.ContentEncoding
		body = encode(t, enc, body)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", c.Sent.ContentType)
	if enc != "" {
		req.Header.Set("Content-Encoding", enc)
	}
	key := testKey
	if !c.Sent.KeyValid {
		key = "sk-helicone-not-this-one"
	}
	switch {
	case c.Sent.Authorization == nil:
	case *c.Sent.Authorization == "bare":
		req.Header.Set("Authorization", key)
	default:
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := freshClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, answer
}

// encode compresses the body as the recorder did; br is sent as it is, the
// server refuses it before reading.
func encode(t *testing.T, encoding string, b []byte) []byte {
	t.Helper()
	switch encoding {
	case "gzip":
		return compress(t, b, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
	case "deflate":
		return compress(t, b, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
	}
	return b
}

// requireAnswer compares the answer's body: empty where the server's was,
// the 422 details exactly, the shape of 401 and 500 answers (their texts
// are the server's or the recorder's own).
func requireAnswer(t *testing.T, c recordedCase, got []byte) {
	t.Helper()
	if string(c.Answer) == "null" {
		require.Empty(t, got, "the server answered with an empty body")
		return
	}
	var want, have map[string]any
	require.NoError(t, json.Unmarshal(c.Answer, &want))
	require.NoError(t, json.Unmarshal(got, &have), "answer %s", got)
	switch c.Status {
	case http.StatusUnprocessableEntity:
		require.Equal(t, want, have)
	case http.StatusUnauthorized:
		require.Equal(t, want["trace"], have["trace"])
		require.NotEmpty(t, have["error"])
	default:
		require.Equal(t, want["message"], have["message"])
		require.NotEmpty(t, have["details"])
	}
}
