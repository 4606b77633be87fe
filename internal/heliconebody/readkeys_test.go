// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

func TestReadKeysGoOutInTheTypeHeliconeReads(t *testing.T) {
	td := ptrace.NewTraces()
	a := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().Attributes()
	a.PutInt("gen_ai.system", 42)
	a.PutInt("gen_ai.prompt.0.content", 7)
	a.PutStr("gen_ai.usage.prompt_tokens", " 12 ")
	a.PutDouble("gen_ai.usage.completion_tokens", 30)
	a.PutDouble("llm.usage.total_tokens", 4.5)                         // not whole: left out
	a.PutBool("gen_ai.response.max_tokens", true)                      // no number: left out
	a.PutStr("traceloop.association.properties.Helicone-User-Id", "u") // already right
	a.PutInt("not.read", 5)                                            // not read: as it is
	enc := new(Encoder)
	added := [][]genai.Attr{{{Key: "llm.request.type", Num: 3, IsNum: true}}}
	body, n := enc.Fill(nil, td, AppendRefs(nil, td), added, math.MaxInt)
	assert.Equal(t, 1, n)
	got := map[string]string{}
	for _, attr := range spanAttrs(t, decode(t, body).ResourceSpans[0].ScopeSpans[0].Spans[0]["attributes"]) {
		got[attr.Key] = value(attr)
	}
	assert.Equal(t, map[string]string{
		"gen_ai.system":                                     `stringValue:"42"`,
		"gen_ai.prompt.0.content":                           `stringValue:"7"`,
		"gen_ai.usage.prompt_tokens":                        `intValue:12`,
		"gen_ai.usage.completion_tokens":                    `intValue:30`,
		"traceloop.association.properties.Helicone-User-Id": `stringValue:"u"`,
		"not.read":         `intValue:5`,
		"llm.request.type": `stringValue:"3"`,
	}, got)
	r := enc.Repairs()
	assert.Equal(t, int64(3), r[repairIntToString])
	assert.Equal(t, int64(2), r[repairToInt])
	assert.Equal(t, int64(2), r[repairNotInt])
}
