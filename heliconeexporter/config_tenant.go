package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

// APIKeyFromConfig takes the Helicone key from each incoming request instead of
// api_key, for a gateway collector serving several Helicone organisations: every
// application sends its own key (a header the OTLP receiver turns into client
// metadata with `include_metadata: true`), and its spans reach Helicone under it.
type APIKeyFromConfig struct {
	// MetadataKey is the client metadata key holding the key, e.g.
	// x-helicone-api-key, or authorization to reuse the request's own
	// "Authorization: Bearer <key>". Case does not matter; a leading "Bearer " is
	// removed. Empty turns the feature off.
	MetadataKey string `mapstructure:"metadata_key"`
	// WhenMissing says what happens to spans that arrive without a key:
	// refuse (the default) rejects them before the queue, so the sender sees the
	// error; use_api_key sends them with api_key.
	WhenMissing MissingKeyAction `mapstructure:"when_missing"`
}

// MissingKeyAction is what to do with spans whose request carried no key.
type MissingKeyAction string

const (
	missingRefuse    MissingKeyAction = "refuse"
	missingUseAPIKey MissingKeyAction = "use_api_key"
)

// UnmarshalText accepts only the known actions, so a typo fails at start.
func (a *MissingKeyAction) UnmarshalText(text []byte) error {
	return unmarshalChoice(a, text, "refuse (reject spans without a key, the default) or use_api_key (send them with api_key)", missingRefuse, missingUseAPIKey)
}

func (c APIKeyFromConfig) enabled() bool { return c.MetadataKey != "" }

// Validate is called by the collector, which prefixes errors with api_key_from.
func (c *APIKeyFromConfig) Validate() error {
	if !c.enabled() && c.WhenMissing != "" {
		return errors.New("when_missing is set but metadata_key is empty; set metadata_key (e.g. x-helicone-api-key) or remove api_key_from")
	}
	return nil
}

// validateWith checks api_key_from against the settings it interacts with.
func (c *APIKeyFromConfig) validateWith(cfg *Config) error {
	if !c.enabled() {
		return nil
	}
	var errs []error
	if c.WhenMissing == missingUseAPIKey && cfg.APIKey == "" {
		errs = append(errs, errors.New("api_key_from.when_missing: use_api_key needs api_key; set `api_key: ${env:HELICONE_API_KEY}` or use refuse"))
	}
	if cfg.ClientConfig.Auth.HasValue() || cfg.hasAuthorizationHeader() {
		errs = append(errs, errors.New("api_key_from: an auth extension or an Authorization header would replace each tenant's key; remove auth and headers.Authorization, or api_key_from"))
	}
	if keys := partitionKeys(cfg); keys != nil && !slices.ContainsFunc(keys, c.matches) {
		errs = append(errs, fmt.Errorf("sending_queue.batch.partition.metadata_keys: %v does not include %q, so one request could mix two tenants' spans; add it, or leave metadata_keys empty and the exporter partitions by it", keys, c.MetadataKey))
	}
	return errors.Join(errs...)
}

func (c APIKeyFromConfig) matches(key string) bool { return strings.EqualFold(key, c.MetadataKey) }

// partitionKeys are the metadata keys the queue's batcher partitions by, nil when
// there is no batching or none are set.
func partitionKeys(cfg *Config) []string {
	if batch, ok := batchConfig(cfg); ok {
		return batch.Partition.MetadataKeys
	}
	return nil
}

func batchConfig(cfg *Config) (exporterhelper.BatchConfig, bool) {
	if !cfg.QueueConfig.HasValue() || !cfg.QueueConfig.Get().Batch.HasValue() {
		return exporterhelper.BatchConfig{}, false
	}
	return *cfg.QueueConfig.Get().Batch.Get(), true
}

// queueConfig is the queue as the exporter runs it: with api_key_from, batches are
// partitioned by the key's metadata so that no request mixes two tenants.
func (cfg *Config) queueConfig() configoptional.Optional[exporterhelper.QueueBatchConfig] {
	batch, ok := batchConfig(cfg)
	if !cfg.APIKeyFrom.enabled() || !ok || len(batch.Partition.MetadataKeys) > 0 {
		return cfg.QueueConfig
	}
	batch.Partition.MetadataKeys = []string{cfg.APIKeyFrom.MetadataKey}
	queue := *cfg.QueueConfig.Get()
	queue.Batch = configoptional.Some(batch)
	return configoptional.Some(queue)
}
