package heliconeexporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

func TestGenAIConfigDefaults(t *testing.T) {
	cfg := defaultConfig()
	assert.Equal(t, SpansConfig{Export: exportLLM}, cfg.Spans)
	assert.Equal(t, AttributesConfig{Send: sendAll, Properties: PropertiesConfig{FromAttributes: map[string]string{
		"service.name": "Service", "deployment.environment.name": "Environment", "deployment.environment": "Environment",
	}}}, cfg.Attributes)
}

func TestGenAIConfigLoad(t *testing.T) {
	cfg, err := loadConfig(t, "genai.yaml", component.NewIDWithName(metadata.Type, "genai"))
	require.NoError(t, err)
	assert.Equal(t, SpansConfig{Export: exportLLM, Include: []SpanMatch{{Name: "my.llm.*"}, {Attribute: "my.llm.model"}}}, cfg.Spans)
	assert.Equal(t, AttributesConfig{Send: sendHelicone, Properties: PropertiesConfig{
		Static: map[string]string{"Team": "search"},
		// merged with the defaults; "" removes one
		FromAttributes: map[string]string{
			"service.name": "Service", "deployment.environment.name": "Environment", "deployment.environment": "",
			"k8s.namespace.name": "Namespace",
		},
	}}, cfg.Attributes)

	assert.Equal(t, genai.Settings{
		MaxContent:     defaultMaxRequestSize / 4,
		FromAttributes: cfg.Attributes.Properties.FromAttributes,
		Static:         map[string]string{"Team": "search"},
	}, cfg.mappingSettings())

	cfg, err = loadConfig(t, "genai.yaml", component.NewIDWithName(metadata.Type, "genai_all"))
	require.NoError(t, err)
	assert.Equal(t, exportAll, cfg.Spans.Export)
}

func TestGenAIConfigInvalid(t *testing.T) {
	_, err := loadConfig(t, "genai.yaml", component.NewIDWithName(metadata.Type, "bad_genai"))
	for _, want := range []string{
		`spans.export: "everything" is not known; use llm`,
		`spans.include[0]: empty rule; give a name glob, an attribute key, or both`,
		`spans.include[1].name: "my.[llm" is not a valid glob`,
		`attributes.send: "some" is not known; use all`,
		`attributes.properties.static: property name "My Team" must be non-empty, without spaces`,
		`attributes.properties.from_attributes[service.name]: property name "Service Name"`,
	} {
		assert.ErrorContains(t, err, want)
	}
}
