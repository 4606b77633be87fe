// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send // import "github.com/otelcol-helicone/otelcol-helicone/internal/send"

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

// responseError classifies a non-2xx answer of Helicone's server (internal/helicone/server.go answers as it does).
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
		return fmt.Errorf("%s%s: %w", what, msg, ErrTooLarge)
	}
	err := fmt.Errorf("%s%s", what, msg)
	if mayHaveLogged(code) {
		err = fmt.Errorf("%w (%w)", err, ErrMayHaveLogged)
	}
	if !isRetryable(code) {
		return consumererror.NewPermanent(err)
	}
	if delay, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now(), maxDelay); ok {
		return exporterhelper.NewThrottleRetry(err, delay)
	}
	return err
}

// isRetryable reports whether a failed status may succeed when sent again. Beyond
// what otlphttpexporter retries (429, 502, 503, 504):
//   - 500 is retried. Helicone answers 500 to a failure of its own store, and to a
//     span its parser throws on, after logging the spans before it; a retry can then
//     log those again. The exporter avoids the deterministic 500s (every key Helicone
//     reads is sent in the type it expects, bodies stay far below its 50 MB limit),
//     so a 500 left is an outage, where losing the batch is worse than a duplicate.
//   - 408 is retried: a proxy timed out reading the request, which Helicone never saw.
//   - The other 5xx are retried (Helicone's cloud is behind a CDN whose 520 to 524
//     mean the origin is briefly unreachable), except 501 and 505, which do not change.
func isRetryable(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests:
		return true
	case http.StatusNotImplemented, http.StatusHTTPVersionNotSupported:
		return false
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
