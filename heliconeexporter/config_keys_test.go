package heliconeexporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
)

// TestLoadConfigTypos: an unknown key at any level fails at start, naming the key
// and, where one is close, the setting meant.
func TestLoadConfigTypos(t *testing.T) {
	for name, want := range map[string]string{
		"max_request_size": "max_requst_size: not a setting of the helicone exporter; did you mean max_request_size?",
		"timeout":          "timout: not a setting of the helicone exporter; did you mean timeout?",
		"compression":      "compresion: not a setting of the helicone exporter; did you mean compression?",
		"tls":              "tls.insecure_skip_verfy: not a setting of the helicone exporter; did you mean tls.insecure_skip_verify?",
		"spans":            "spans.exprt: not a setting of the helicone exporter; did you mean spans.export?",
		"spans_include":    "'spans.include[0]' has invalid keys: nme",
		"attributes":       "attributes.sendd: not a setting of the helicone exporter; did you mean attributes.send?",
		"properties":       "attributes.properties.statc: not a setting of the helicone exporter; did you mean attributes.properties.static?",
		"api_key_from":     "api_key_from.metadata_kye: not a setting of the helicone exporter; did you mean api_key_from.metadata_key?",
		"sending_queue":    "sending_queue.batch.flush_timout: not a setting of the helicone exporter; did you mean sending_queue.batch.flush_timeout?",
		"far_from_any":     "zzzzzzzzzzzz: not a setting of the helicone exporter; the settings there are api_key, api_key_from, attributes,",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfigErr(t, "typos.yaml", component.NewIDWithName(metadata.Type, name))
			require.Error(t, err)
			assert.ErrorContains(t, err, want)
		})
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"endpoint", "timeout", "headers", "max_request_size"}
	for key, want := range map[string]string{"timout": "timeout", "endpont": "endpoint", "header": "headers", "max_size": ""} {
		got, ok := nearest(key, keys)
		assert.Equal(t, want, got, key)
		assert.Equal(t, want != "", ok, key)
	}
}
