// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send // import "github.com/otelcol-helicone/otelcol-helicone/internal/send"

import (
	"errors"
	"io"
	"sync"
)

// errBodyDetached is what the transport reads from a request body after the exporter
// took its buffer back.
var errBodyDetached = errors.New("request body reused: the response had already arrived")

// requestBody lends a pooled buffer to the HTTP transport for one request.
// http.Client.Do may return while the transport still reads the body (a server that
// answers 413 without reading it, HTTP/2 aborting a stream), and RoundTrip may close
// it from another goroutine even later. detach ends the loan: once it returns no Read
// is running or will touch the buffer, so the buffer can be refilled at once, without
// waiting for a Close that HTTP/2 may deliver concurrently with a Read.
type requestBody struct {
	mu       sync.Mutex
	buf      []byte
	off      int
	detached bool
}

func newRequestBody(buf []byte) *requestBody { return &requestBody{buf: buf} }

func (r *requestBody) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.off >= len(r.buf) {
		return 0, io.EOF // also after detach: HTTP/1 reads once more past Content-Length
	}
	if r.detached {
		return 0, errBodyDetached
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// Close is the transport's; the buffer stays lent until detach.
func (r *requestBody) Close() error { return nil }

// detach takes the buffer back from the transport.
func (r *requestBody) detach() {
	r.mu.Lock()
	r.detached = true
	r.mu.Unlock()
}
