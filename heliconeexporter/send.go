package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

const (
	// maxResponseBytes caps how much of a response is read; the rest is drained.
	maxResponseBytes = 64 * 1024
	// maxDetailBytes caps how much of the server's explanation goes into an error.
	maxDetailBytes = 1024
)

// errTooLarge marks a 413: the caller splits the request instead of retrying it whole.
var errTooLarge = errors.New("request body too large (413)")

// send posts one body and turns the answer into nil, a retryable error, a throttle
// error honouring Retry-After, a permanent error, or errTooLarge.
func (e *heliconeExporter) send(ctx context.Context, body []byte) error {
	if e.compressor != nil {
		compressed, err := e.compressor.compress(body)
		if err != nil {
			return consumererror.NewPermanent(err)
		}
		defer e.compressor.release(compressed)
		body = compressed.Bytes()
	}
	reqBody := newRequestBody(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, reqBody)
	if err != nil {
		return consumererror.NewPermanent(err)
	}
	req.ContentLength = int64(len(body))
	if e.compressor != nil {
		req.Header.Set("Content-Encoding", e.compressor.encoding)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", e.userAgent)
	if e.config.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+string(e.config.APIKey))
	}

	resp, err := e.client.Do(req)
	reqBody.detach() // from here the caller may refill body, and the compressed buffer is pooled
	if err != nil {
		if urlErr, ok := errors.AsType[*url.Error](err); ok {
			urlErr.URL = e.url
		}
		return fmt.Errorf("failed to post to Helicone: %w", err)
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
	if key := string(e.config.APIKey); key != "" {
		// A proxy's error page may quote the request's headers: the key must not
		// reach an error or a log line.
		detail = bytes.ReplaceAll(detail, []byte(key), []byte("[REDACTED]"))
	}
	return responseError(e.url, resp, detail, e.maxRetryDelay)
}

// responseError classifies a non-2xx answer of Helicone's server (see SERVER.md).
func responseError(url string, resp *http.Response, detail []byte, maxDelay time.Duration) error {
	code := resp.StatusCode
	what := fmt.Sprintf("Helicone answered HTTP %d to POST %s", code, url)
	msg := serverMessage(detail)
	switch code {
	case http.StatusUnauthorized:
		return consumererror.NewPermanent(fmt.Errorf("%s: the API key is missing, unknown or write-only; set api_key to a Helicone key with read and write permission (EU keys need endpoint https://eu.api.helicone.ai)%s", what, msg))
	case http.StatusForbidden:
		return consumererror.NewPermanent(fmt.Errorf("%s: the API key may not write traces; check its permissions%s", what, msg))
	case http.StatusBadRequest:
		return consumererror.NewPermanent(fmt.Errorf("%s: Helicone answers 400 when authentication fails; check api_key%s", what, msg))
	case http.StatusNotFound:
		return consumererror.NewPermanent(fmt.Errorf("%s: no trace endpoint there; endpoint must be the base URL, e.g. https://api.helicone.ai, http://localhost:8585, or https://<host>/jawn behind the Helm chart%s", what, msg))
	case http.StatusUnprocessableEntity:
		return consumererror.NewPermanent(fmt.Errorf("%s: Helicone rejected the body; this is a bug in the exporter, please report it with these details%s", what, msg))
	case http.StatusRequestEntityTooLarge:
		return fmt.Errorf("%s%s: %w", what, msg, errTooLarge)
	}
	err := fmt.Errorf("%s%s", what, msg)
	if !isRetryable(code) {
		return consumererror.NewPermanent(err)
	}
	if delay, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now(), maxDelay); ok {
		return exporterhelper.NewThrottleRetry(err, delay)
	}
	return err
}

// isRetryable reports whether a failed status may succeed when sent again.
func isRetryable(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests:
		return true
	}
	return code >= 500
}

// retryAfter parses Retry-After as delay-seconds or an HTTP-date, capped at limit so
// that a huge value cannot overflow time.Duration into a negative delay, which the
// retry sender would ignore.
func retryAfter(value string, now time.Time, limit time.Duration) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseUint(value, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if seconds > uint64(limit/time.Second) {
			return limit, true
		}
		return min(time.Duration(seconds)*time.Second, limit), true
	}
	if date, err := http.ParseTime(value); err == nil {
		return min(max(date.Sub(now), 0), limit), true
	}
	return 0, false
}

// serverMessage extracts what the server said, preferring Helicone's JSON
// {"message":..., "details":...}, cut to maxDetailBytes.
func serverMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var parsed struct {
		Message string          `json:"message"`
		Error   string          `json:"error"`
		Details json.RawMessage `json:"details"`
	}
	text := string(body)
	if json.Unmarshal(body, &parsed) == nil && (parsed.Message != "" || parsed.Error != "" || len(parsed.Details) > 0) {
		text = strings.TrimSpace(parsed.Message + " " + parsed.Error + " " + string(parsed.Details))
	}
	if len(text) > maxDetailBytes {
		text = strings.ToValidUTF8(text[:maxDetailBytes], "") + "…(truncated)"
	}
	return ": " + text
}
