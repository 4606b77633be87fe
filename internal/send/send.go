// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send // import "github.com/otelcol-helicone/otelcol-helicone/internal/send"

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/consumer/consumererror"
)

const (
	// maxResponseBytes caps how much of a response is read; the rest is drained.
	maxResponseBytes = 64 * 1024
	// maxDetailBytes caps how much of the server's explanation goes into an error.
	maxDetailBytes = 1024
)

// ErrTooLarge marks a 413: the caller splits the request instead of retrying it whole.
var ErrTooLarge = errors.New("request body too large (413)")

// Config is what a Sender needs besides its HTTP client.
type Config struct {
	// URL is the full address bodies are posted to.
	URL       string
	UserAgent string
	// Compression is gzip, deflate, or none ("" too); Level 0 is the default level.
	Compression configcompression.Type
	Level       configcompression.Level
	// MaxRetryDelay caps the delay a Retry-After header asks for.
	MaxRetryDelay time.Duration
}

// Sender posts Helicone bodies: it compresses them, sends them, and classifies the
// answer. It sees only bytes, and is safe for concurrent use.
type Sender struct {
	client        *http.Client
	url           string
	userAgent     string
	compressor    *compressor // nil when bodies go uncompressed
	maxRetryDelay time.Duration
}

// New returns a sender over client, which must not compress bodies itself.
func New(client *http.Client, cfg Config) (*Sender, error) {
	c, err := newCompressor(cfg.Compression, cfg.Level)
	if err != nil {
		return nil, err
	}
	return &Sender{client: client, url: cfg.URL, userAgent: cfg.UserAgent, compressor: c, maxRetryDelay: cfg.MaxRetryDelay}, nil
}

// Send posts one body, with "Authorization: Bearer <apiKey>" unless apiKey is empty
// (then an auth extension or a configured header authenticates), and turns the
// answer into nil, a retryable error, a throttle error honouring Retry-After, a
// permanent error, or ErrTooLarge. body may be reused once Send returns.
func (s *Sender) Send(ctx context.Context, body []byte, apiKey string) error {
	if s.compressor != nil {
		compressed, err := s.compressor.compress(body)
		if err != nil {
			return consumererror.NewPermanent(err)
		}
		defer s.compressor.release(compressed)
		body = compressed.Bytes()
	}
	reqBody := newRequestBody(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, reqBody)
	if err != nil {
		return consumererror.NewPermanent(err)
	}
	req.ContentLength = int64(len(body))
	if s.compressor != nil {
		req.Header.Set("Content-Encoding", s.compressor.encoding)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}

	resp, err := s.client.Do(req)
	reqBody.detach() // from here the caller may refill body, and the compressed buffer is pooled
	if err != nil {
		if urlErr, ok := errors.AsType[*url.Error](err); ok {
			urlErr.URL = s.url
		}
		if neverConnected(err) {
			return fmt.Errorf("failed to post to Helicone: %w", err)
		}
		return fmt.Errorf("failed to post to Helicone: %w (%w)", err, ErrMayHaveLogged)
	}
	defer func() {
		// Drain what is left so the connection is reused, but never without bound.
		_, _ = io.CopyN(io.Discard, resp.Body, maxResponseBytes)
		_ = resp.Body.Close()
	}()
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if apiKey != "" {
		// A proxy's error page may quote the request's headers: the key must not
		// reach an error or a log line.
		detail = bytes.ReplaceAll(detail, []byte(apiKey), []byte("[REDACTED]"))
	}
	return responseError(s.url, resp, detail, s.maxRetryDelay)
}
