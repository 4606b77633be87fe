package heliconeexporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
)

func TestLoadConfigAPIKeyFrom(t *testing.T) {
	cfg, err := loadConfig(t, "api_key_from.yaml", component.NewIDWithName(metadata.Type, "refuse"))
	require.NoError(t, err, "no api_key is needed when every request brings its own")
	assert.Equal(t, APIKeyFromConfig{MetadataKey: "x-helicone-api-key"}, cfg.APIKeyFrom)
	assert.Equal(t, []string{"x-helicone-api-key"}, runPartitionKeys(cfg), "batches are partitioned by tenant")
	assert.Empty(t, cfg.QueueConfig.Get().Batch.Get().Partition.MetadataKeys, "the user's config is left as written")

	cfg, err = loadConfig(t, "api_key_from.yaml", component.NewIDWithName(metadata.Type, "fallback"))
	require.NoError(t, err)
	assert.Equal(t, APIKeyFromConfig{MetadataKey: "authorization", WhenMissing: missingUseAPIKey}, cfg.APIKeyFrom)

	cfg, err = loadConfig(t, "api_key_from.yaml", component.NewIDWithName(metadata.Type, "partitioned"))
	require.NoError(t, err, "the key may be one of several partition keys, in any case")
	assert.Equal(t, []string{"X-Helicone-Api-Key", "x-team"}, runPartitionKeys(cfg))

	cfg = defaultConfig()
	assert.Equal(t, cfg.QueueConfig, cfg.queueConfig(), "without api_key_from the queue is as configured")
}

func TestLoadConfigAPIKeyFromInvalid(t *testing.T) {
	for name, want := range map[string][]string{
		"bad_action":               {"when_missing", `"drop" is not known`, "use refuse"},
		"bad_fallback_without_key": {"api_key_from.when_missing: use_api_key needs api_key", "${env:HELICONE_API_KEY}"},
		"bad_action_without_key":   {"when_missing is set but metadata_key is empty"},
		"bad_partition":            {"sending_queue.batch.partition.metadata_keys", `does not include "x-helicone-api-key"`},
		"bad_auth_header":          {"api_key_from: an auth extension or an Authorization header"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfigErr(t, "api_key_from.yaml", component.NewIDWithName(metadata.Type, name))
			require.Error(t, err)
			for _, w := range want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

func TestTrimBearer(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer sk-a":   "sk-a",
		"bearer  sk-a ": "sk-a",
		"sk-a":          "sk-a",
		"Basic abc":     "Basic abc",
		"":              "",
	} {
		assert.Equal(t, want, trimBearer(in), in)
	}
}

// runPartitionKeys are the partition keys of the queue the exporter runs with.
func runPartitionKeys(cfg *Config) []string {
	q := cfg.queueConfig()
	return q.Get().Batch.Get().Partition.MetadataKeys
}
