// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import "testing"

// BenchmarkAppendString times the string escaper alone on the prompts of
// BenchmarkEncode's corpora, to compare versions of it in the same run.
func BenchmarkAppendString(b *testing.B) {
	for _, c := range []struct {
		name string
		s    string
	}{
		{name: "realistic", s: realisticPrompt(7)},
		{name: "dense", s: densePrompt(15)},
		{name: "key", s: "gen_ai.request.model"},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := new(Encoder)
			buf := e.appendString(nil, c.s)
			b.SetBytes(int64(len(c.s)))
			b.ReportAllocs()
			for b.Loop() {
				buf = e.appendString(buf[:0], c.s)
			}
		})
	}
}
