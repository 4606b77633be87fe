// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// FuzzReadKeyTypes gives every key Helicone's parser reads a value of an
// arbitrary type, on the middle span of three, and sends them through the
// exporter to the model of the server over HTTP: Helicone must take the request
// (no 500 after logging the first span, no 422) and log all three spans.
func FuzzReadKeyTypes(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7}, "42", int64(7), 2.0)
	f.Add([]byte{1}, "x", int64(1)<<60, 0.5)
	f.Add([]byte{2, 6}, " 12 ", int64(-3), -1e300)
	h := newHarness(f, helicone.Options{APIKey: testKey}, nil)
	var sent int
	f.Fuzz(func(t *testing.T, kinds []byte, s string, n int64, d float64) {
		if len(kinds) == 0 {
			kinds = []byte{0}
		}
		td := llmTraces(3, 64)
		spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
		for i := range spans.Len() {
			spans.At(i).SetSpanID(pcommon.SpanID{byte(sent >> 16), byte(sent >> 8), byte(sent), byte(i), 9})
		}
		attrs := spans.At(1).Attributes()
		for i, rk := range helicone.ReadKeys {
			key := strings.NewReplacer(".N.", ".0.", "-X", "-Tier").Replace(rk.Key)
			putAnyType(attrs, key, kinds[i%len(kinds)], s, n, d)
		}
		if err := h.exp.ConsumeTraces(context.Background(), td); err != nil {
			t.Fatalf("Helicone refused the request: %v", err)
		}
		sent += 3
		if got := h.server.UniqueSpans(); got != sent {
			t.Fatalf("Helicone logged %d distinct spans of %d", got, sent)
		}
	})
}

// putAnyType sets key to a value of the type kind picks, made from s, n and d.
func putAnyType(attrs pcommon.Map, key string, kind byte, s string, n int64, d float64) {
	switch kind % 8 {
	case 0:
		attrs.PutStr(key, s)
	case 1:
		attrs.PutInt(key, n)
	case 2:
		attrs.PutDouble(key, d)
	case 3:
		attrs.PutBool(key, n%2 == 0)
	case 4:
		attrs.PutEmptyBytes(key).FromRaw([]byte(s))
	case 5:
		attrs.PutEmptySlice(key).FromRaw([]any{s, n})
	case 6:
		attrs.PutEmptyMap(key).PutStr("k", s)
	default:
		attrs.PutEmpty(key)
	}
}
