// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendTakesTheKeyPerRequest: the key is a parameter of Send, so one sender
// serves several tenants; without one, no Authorization header of ours is set.
func TestSendTakesTheKeyPerRequest(t *testing.T) {
	var mu sync.Mutex
	var got []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") == "Bearer tenant-b" {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "upstream saw Authorization: Bearer tenant-b")
		}
	}))
	t.Cleanup(ts.Close)
	s, err := New(ts.Client(), Config{URL: ts.URL, UserAgent: "test", Compression: "none", MaxRetryDelay: time.Minute})
	require.NoError(t, err)

	require.NoError(t, s.Send(context.Background(), []byte(`{"resourceSpans":[]}`), "tenant-a"))
	require.NoError(t, s.Send(context.Background(), []byte(`{"resourceSpans":[]}`), ""))
	err = s.Send(context.Background(), []byte(`{"resourceSpans":[]}`), "tenant-b")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "tenant-b", "the request's own key is redacted")
	assert.Contains(t, err.Error(), "Bearer [REDACTED]")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"Bearer tenant-a", "", "Bearer tenant-b"}, got)
}
