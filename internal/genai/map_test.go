// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

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
