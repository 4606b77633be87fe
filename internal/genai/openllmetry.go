// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// OpenLLMetry (Traceloop) writes the attributes Helicone reads (helicone.go): its
// keys are the rank-0 sources, which the span already has for Helicone. Its
// traceloop.span.kind marks workflows, tasks, agents and tools, and
// traceloop.association.properties.<name> carries user metadata.
var (
	olSystem           = attr(keySystem)
	olResponseModel    = attr(keyModel)
	olRequestType      = attr(keyRequestType)
	olMaxTokens        = attr(keyMaxTokens)
	olPromptTokens     = attr(keyPromptTokens)
	olCompletionTokens = attr(keyCompletionTokens)
	olTotalTokens      = attr(keyTotalTokens)
	olUser             = attr(keyLLMUser)
)

var openLLMetry = convention{
	markers: []marker{
		{rank: 30, classify: func(attrs pcommon.Map) (Class, bool) {
			v, ok := attrs.Get("traceloop.span.kind")
			if !ok {
				return ClassOther, false
			}
			switch v.Str() {
			case "workflow", "task", "agent":
				return ClassWrapper, true
			case "tool":
				return ClassOther, true
			}
			return ClassOther, false
		}},
		{rank: 50, classify: func(attrs pcommon.Map) (Class, bool) {
			_, ok := attrs.Get(keyRequestType)
			return ClassLLM, ok
		}},
	},
	sources: []source{
		{field: fieldProvider, slot: olSystem},
		{field: fieldModel, slot: olResponseModel},
		{field: fieldRequestType, slot: olRequestType},
		{field: fieldMaxTokens, slot: olMaxTokens},
		{field: fieldPromptTokens, slot: olPromptTokens},
		{field: fieldCompletionTokens, slot: olCompletionTokens},
		{field: fieldTotalTokens, slot: olTotalTokens},
		{field: fieldUser, slot: olUser},
	},
	families: []family{{prefix: associationPrefix, read: func(m *Mapper, name string, v pcommon.Value) {
		if !strings.HasPrefix(name, "Helicone-") { // Helicone's own, already read as they are
			m.meta = append(m.meta, metaEntry{name: name, val: v})
		}
	}}},
}
