// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

func TestGenAIConfigDefaults(t *testing.T) {
	cfg := defaultConfig()
	assert.Equal(t, SpansConfig{Export: ExportLLM}, cfg.Spans)
	assert.Equal(t, AttributesConfig{Send: SendAll, Properties: PropertiesConfig{FromAttributes: map[string]string{
		"service.name": "Service", "deployment.environment.name": "Environment", "deployment.environment": "Environment",
	}}, Failures: true, Sessions: SessionsConfig{Enabled: true, ID: SessionIDConversation}}, cfg.Attributes)
}

func TestGenAIConfigLoad(t *testing.T) {
	cfg, err := loadConfig(t, "genai.yaml", component.NewIDWithName(metadata.Type, "genai"))
	require.NoError(t, err)
	assert.Equal(t, SpansConfig{Export: ExportLLM, Include: []SpanMatch{{Name: "my.llm.*"}, {Attribute: "my.llm.model"}}}, cfg.Spans)
	assert.Equal(t, AttributesConfig{Send: SendHelicone, Properties: PropertiesConfig{
		Static: map[string]string{"Team": "search"},
		// merged with the defaults; "" removes one
		FromAttributes: map[string]string{
			"service.name": "Service", "deployment.environment.name": "Environment", "deployment.environment": "",
			"k8s.namespace.name": "Namespace",
		},
	}, Sessions: SessionsConfig{ID: SessionIDTrace}}, cfg.Attributes)

	assert.Equal(t, genai.Settings{
		MaxContent:         defaultMaxRequestSize / 4,
		FromAttributes:     cfg.Attributes.Properties.FromAttributes,
		Static:             map[string]string{"Team": "search"},
		SessionIDFromTrace: true,
	}, cfg.mappingSettings())

	cfg, err = loadConfig(t, "genai.yaml", component.NewIDWithName(metadata.Type, "genai_all"))
	require.NoError(t, err)
	assert.Equal(t, ExportAll, cfg.Spans.Export)
}

func TestGenAIConfigInvalid(t *testing.T) {
	_, err := loadConfig(t, "genai.yaml", component.NewIDWithName(metadata.Type, "bad_genai"))
	for _, want := range []string{
		`spans::include::0: empty rule; give a name glob, an attribute key, or both`,
		`spans::include::1: name: "my.[llm" is not a valid glob`,
		`attributes::properties::static: property names "My Team" must be non-empty, without spaces`,
		`attributes::properties::from_attributes: service.name: property name "Service Name"`,
	} {
		assert.ErrorContains(t, err, want)
	}
}

func TestGenAIConfigUnknownValuesFailToLoad(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "genai.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, "bad_genai_values").String())
	require.NoError(t, err)
	err = sub.Unmarshal(defaultConfig())
	for _, want := range []string{
		`"everything" is not known; use llm`,
		`"some" is not known; use all`,
		`"span" is not known; use conversation`,
	} {
		assert.ErrorContains(t, err, want)
	}
}

func TestGenAIConfigSetInCodeIsValidated(t *testing.T) {
	cfg := defaultConfig()
	cfg.APIKey = "k"
	cfg.Spans.Export = "everything"
	cfg.Attributes.Send = ""
	cfg.Attributes.Sessions.ID = "span"
	err := confmap.Validate(cfg)
	assert.ErrorContains(t, err, `spans: export: "everything" is not known`)
	assert.ErrorContains(t, err, `attributes: send: "" is not known`)
	assert.ErrorContains(t, err, `sessions::id: "span" is not known`)
}
