// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import (
	"math"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// badInput is a trace of what collectors do receive: invalid UTF-8, NaN, huge
// integers, nested maps, empty ids, bytes.
func badInput() ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutEmptySlice("mixed").FromRaw([]any{"a", 1.5, nil})
	span := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	span.SetName("\xff\xfe")
	a := span.Attributes()
	a.PutStr("gen_ai.prompt.0.content", "bad \xc3\x28 utf8")
	a.PutDouble("nan", math.NaN())
	a.PutInt("big", math.MinInt64)
	a.PutEmptyBytes("raw").FromRaw([]byte{0, 0xff})
	deep := a.PutEmptyMap("deep")
	for range 50 {
		deep = deep.PutEmptyMap("m")
	}
	span.Events().AppendEmpty().Attributes().PutEmptySlice("s").AppendEmpty().SetEmptyMap().PutDouble("inf", math.Inf(-1))
	span.Links().AppendEmpty().Attributes().PutBool("b", true)
	span.Status().SetCode(ptrace.StatusCodeError)
	span.SetEndTimestamp(pcommon.Timestamp(math.MaxUint64))
	return td
}

// FuzzEncode decodes arbitrary OTLP protobuf bytes into traces and encodes every
// span, with the GenAI mapping on, into bodies of at most 64 KiB: each body must be
// valid JSON that Helicone's schema accepts, and every span must be either in exactly
// one body or reported as too large.
func FuzzEncode(f *testing.F) {
	seeds := []ptrace.Traces{llmCorpus(3, realisticPrompt), smallCorpus(3), badInput(), ptrace.NewTraces()}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "genai", "*.json"))
	for _, file := range files {
		seeds = append(seeds, readFixture(f, file))
	}
	for _, td := range seeds {
		raw, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	settings := genai.Settings{MaxContent: 16 * 1024, FromAttributes: map[string]string{"service.name": "Service"}}
	const limit = 64 * 1024
	f.Fuzz(func(t *testing.T, raw []byte) {
		td, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(raw)
		if err != nil {
			return
		}
		enc := new(Encoder)
		added := genai.NewMapper(settings).Map(td).Spans
		refs := AppendRefs(nil, td)
		encoded := 0
		for lo := 0; lo < len(refs); {
			body, n := enc.Fill(nil, td, refs[lo:], added[lo:], limit)
			if n == 0 {
				lo++ // too large alone: the exporter drops and counts it
				continue
			}
			if len(body) > limit {
				t.Fatalf("body of %d bytes over the %d limit", len(body), limit)
			}
			if err := helicone.ValidateBody(body); err != nil {
				t.Fatalf("%v\n%s", err, body)
			}
			calls, err := helicone.ReadCalls(body)
			if err != nil || len(calls) != n {
				t.Fatalf("read %d calls of %d: %v", len(calls), n, err)
			}
			encoded += n
			lo += n
		}
		if encoded > len(refs) {
			t.Fatalf("encoded %d of %d spans", encoded, len(refs))
		}
	})
}
