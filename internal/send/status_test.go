// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{value: "120", want: 2 * time.Minute, ok: true},
		{value: " 0 ", want: 0, ok: true},
		{value: "Sat, 21 Nov 2026 10:00:30 GMT", want: 30 * time.Second, ok: true},
		{value: "Sat, 21 Nov 2026 09:00:00 GMT", want: 0, ok: true},
		{value: "7200", want: time.Hour, ok: true},
		{value: "9223372037", want: time.Hour, ok: true},
		{value: "99999999999999999999", want: time.Hour, ok: true},
		{value: "Fri, 31 Dec 9999 23:59:59 GMT", want: time.Hour, ok: true},
		{value: "-5"},
		{value: "soon"},
		{value: ""},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.value, now, time.Hour)
		assert.Equal(t, tt.ok, ok, tt.value)
		assert.Equal(t, tt.want, got, tt.value)
	}
}

func TestRetryableStatuses(t *testing.T) {
	for code, want := range map[int]bool{
		408: true, 429: true, 500: true, 502: true, 503: true, 504: true, 520: true, 524: true,
		400: false, 401: false, 404: false, 418: false, 422: false, 501: false, 505: false,
	} {
		assert.Equal(t, want, isRetryable(code), code)
	}
}
