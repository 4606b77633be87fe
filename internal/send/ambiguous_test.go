// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Only the failures after which Helicone may have logged spans are marked.
func TestFailuresThatMayHaveLogged(t *testing.T) {
	for code, want := range map[int]bool{
		500: true, 502: true, 504: true, 520: true, 524: true,
		503: false, 429: false, 408: false, 413: false, 422: false, 401: false,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }))
		s, err := New(srv.Client(), Config{URL: srv.URL})
		require.NoError(t, err)
		err = s.Send(context.Background(), []byte(`{}`), "k")
		srv.Close()
		require.Error(t, err, code)
		assert.Equal(t, want, errors.Is(err, ErrMayHaveLogged), code)
	}
}

// A timeout after the request was written may have been logged; a connection
// refused was not.
func TestTransportFailures(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	client := srv.Client()
	client.Timeout = 50 * time.Millisecond
	s, err := New(client, Config{URL: srv.URL})
	require.NoError(t, err)
	assert.ErrorIs(t, s.Send(context.Background(), []byte(`{}`), "k"), ErrMayHaveLogged)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	s, err = New(http.DefaultClient, Config{URL: "http://" + addr})
	require.NoError(t, err)
	err = s.Send(context.Background(), []byte(`{}`), "k")
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrMayHaveLogged)
}
