// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// mappedAttrs maps one span, made by build from attrs, and returns what Map adds by key.
func mappedAttrs(t *testing.T, s Settings, attrs map[string]any, build func(ptrace.Span)) map[string]Attr {
	t.Helper()
	td := ptrace.NewTraces()
	span := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	require.NoError(t, span.Attributes().FromRaw(attrs))
	if build != nil {
		build(span)
	}
	added := NewMapper(s).Map(td)
	require.Len(t, added.Spans, 1)
	out := map[string]Attr{}
	for _, a := range added.Spans[0] {
		out[a.Key] = a
	}
	return out
}

func TestNewMapperCompilesProperties(t *testing.T) {
	m := NewMapper(Settings{
		FromAttributes: map[string]string{
			"service.name": "Service", "deployment.environment.name": "Environment", "deployment.environment": "",
			"k8s.namespace.name": "Namespace",
		},
		Static: map[string]string{"Team": "search"},
	})
	// Reverse order puts deployment.environment.name before deployment.environment.
	assert.Equal(t, []propertyFrom{
		{attr: "service.name", key: PropertyPrefix + "Service"},
		{attr: "k8s.namespace.name", key: PropertyPrefix + "Namespace"},
		{attr: "deployment.environment.name", key: PropertyPrefix + "Environment"},
	}, m.fromAttrs)
	assert.Equal(t, []Attr{{Key: PropertyPrefix + "Team", Str: "search"}}, m.static)
}

// TestConventionsReadEachKeyOnce: a key registered by two conventions would be read
// by only one of them, silently.
func TestConventionsReadEachKeyOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, keys := range slotKeys {
		for _, k := range keys {
			assert.False(t, seen[k], "%s is registered twice", k)
			seen[k] = true
		}
	}
	for f, sources := range compiled().fields {
		for i := 1; i < len(sources); i++ {
			assert.NotEqual(t, sources[i-1].rank, sources[i].rank, "field %d: two sources share rank %d", f, sources[i].rank)
		}
	}
}

// gather skips looking up message keys unless a property reads one.
func TestPropertyFromMessageKey(t *testing.T) {
	attrs := map[string]any{"gen_ai.system": "openai", "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "hi"}
	got := mappedAttrs(t, Settings{MaxContent: 1000, FromAttributes: map[string]string{"gen_ai.prompt.0.role": "FirstRole"}}, attrs, nil)
	assert.Equal(t, "user", got[PropertyPrefix+"FirstRole"].Str)
	got = mappedAttrs(t, Settings{MaxContent: 1000, FromAttributes: map[string]string{"gen_ai.system": "System"}}, attrs, nil)
	assert.Equal(t, "openai", got[PropertyPrefix+"System"].Str)
	assert.NotContains(t, got, PropertyPrefix+"FirstRole")
}
