// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-helicone/otelcol-helicone/heliconeexporter/internal/metadata"
)

func loadConfig(t *testing.T, file string, id component.ID) (*Config, error) {
	t.Helper()
	cfg, err := decodeConfig(t, file, id)
	require.NoError(t, err, "decoding")
	return cfg, confmap.Validate(cfg)
}

// loadConfigErr decodes and validates, returning the first error: decoding or validation.
func loadConfigErr(t *testing.T, file string, id component.ID) (*Config, error) {
	t.Helper()
	cfg, err := decodeConfig(t, file, id)
	if err != nil {
		return nil, err
	}
	return cfg, confmap.Validate(cfg)
}

func decodeConfig(t *testing.T, file string, id component.ID) (*Config, error) {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", file))
	require.NoError(t, err)
	sub, err := cm.Sub(id.String())
	require.NoError(t, err)
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	return cfg, sub.Unmarshal(cfg)
}

func defaultConfig() *Config {
	return NewFactory().CreateDefaultConfig().(*Config)
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		id       component.ID
		expected func() *Config
	}{
		{
			id: component.NewIDWithName(metadata.Type, "full"),
			expected: func() *Config {
				cfg := defaultConfig()
				cfg.ClientConfig.Endpoint = "https://eu.api.helicone.ai"
				cfg.APIKey = "sk-helicone-test"
				cfg.ClientConfig.Timeout = 10 * time.Second
				cfg.ClientConfig.Compression = configcompression.TypeDeflate
				cfg.ClientConfig.Headers = configopaque.MapList{{Name: "X-Team", Value: "search"}}
				cfg.MaxRequestSize = 1 << 20
				queue := metadata.NewDefaultQueueBatchConfig()
				queue.NumConsumers = 4
				queue.QueueSize = 5000
				batch := queue.Batch.Get()
				batch.FlushTimeout = 2 * time.Second
				batch.MinSize = 100
				batch.MaxSize = 500
				cfg.QueueConfig = configoptional.Some(queue)
				cfg.RetryConfig.InitialInterval = time.Second
				cfg.RetryConfig.MaxInterval = 30 * time.Second
				cfg.RetryConfig.MaxElapsedTime = 10 * time.Minute
				return cfg
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "selfhosted_helm"),
			expected: func() *Config {
				cfg := defaultConfig()
				cfg.ClientConfig.Endpoint = "https://helicone.example.com/jawn"
				cfg.APIKey = "sk-helicone-test"
				return cfg
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "auth_extension"),
			expected: func() *Config {
				cfg := defaultConfig()
				cfg.ClientConfig.Endpoint = "http://localhost:8585"
				cfg.ClientConfig.Auth = configoptional.Some(configauth.Config{AuthenticatorID: component.MustNewID("bearertokenauth")})
				return cfg
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "authorization_header"),
			expected: func() *Config {
				cfg := defaultConfig()
				cfg.ClientConfig.Headers = configopaque.MapList{{Name: "Authorization", Value: "Bearer sk-helicone-test"}}
				return cfg
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg, err := loadConfig(t, "config.yaml", tt.id)
			require.NoError(t, err)
			assert.Equal(t, tt.expected(), cfg)
		})
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	_, err := loadConfig(t, "config.yaml", component.NewID(metadata.Type))
	require.ErrorContains(t, err, "api_key: missing", "the default config has no key")

	cfg := defaultConfig()
	assert.Equal(t, "https://api.helicone.ai/v1/trace/log", cfg.traceURL())
	assert.Equal(t, configcompression.TypeGzip, cfg.ClientConfig.Compression)
	assert.Equal(t, configcompression.Level(1), cfg.ClientConfig.CompressionParams.Level, "gzip's fastest level (BENCHMARKS.md)")
	assert.Equal(t, defaultMaxRequestSize, cfg.MaxRequestSize)
	require.True(t, cfg.QueueConfig.HasValue(), "the sending queue is on by default")
	require.True(t, cfg.QueueConfig.Get().Batch.HasValue(), "batching is on by default")
	assert.True(t, cfg.RetryConfig.Enabled)
}

func TestLoadConfigInvalid(t *testing.T) {
	tests := []struct {
		file    string
		wantErr []string
	}{
		{file: "bad_missing_key.yaml", wantErr: []string{"api_key: missing", "${env:HELICONE_API_KEY}"}},
		{file: "bad_compression.yaml", wantErr: []string{"compression:", `"zstd"`, "use gzip"}},
		{file: "bad_endpoint_path.yaml", wantErr: []string{"endpoint:", "already ends in /v1/trace/log"}},
		{file: "bad_endpoint_scheme.yaml", wantErr: []string{"endpoint:", "not a base URL"}},
		{file: "bad_max_request_size.yaml", wantErr: []string{"max_request_size:", "50 MB"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := loadConfig(t, tt.file, component.NewID(metadata.Type))
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorContains(t, err, want)
			}
		})
	}
}

func TestTraceURL(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://api.helicone.ai":             "https://api.helicone.ai/v1/trace/log",
		"https://eu.api.helicone.ai/":         "https://eu.api.helicone.ai/v1/trace/log",
		"http://localhost:8585":               "http://localhost:8585/v1/trace/log",
		"https://helicone.example.com/jawn":   "https://helicone.example.com/jawn/v1/trace/log",
		"https://helicone.example.com/jawn//": "https://helicone.example.com/jawn/v1/trace/log",
	} {
		cfg := defaultConfig()
		cfg.ClientConfig.Endpoint = endpoint
		assert.Equal(t, want, cfg.traceURL(), endpoint)
	}
}

func TestValidateNeverShowsTheKey(t *testing.T) {
	cfg := defaultConfig()
	cfg.APIKey = "sk-helicone-secret-value"
	cfg.ClientConfig.Compression = configcompression.TypeZstd
	cfg.ClientConfig.Endpoint = "ftp://nowhere"
	err := confmap.Validate(cfg)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-value")
}

func TestSendsKeyInClear(t *testing.T) {
	for endpoint, want := range map[string]bool{
		"https://api.helicone.ai":     false,
		"http://localhost:8585":       false,
		"http://127.0.0.1:8585":       false,
		"http://[::1]:8585":           false,
		"http://helicone.internal":    true,
		"http://10.0.0.7:8585/jawn":   true,
		"https://helicone.internal:1": false,
	} {
		cfg := defaultConfig()
		cfg.ClientConfig.Endpoint = endpoint
		cfg.APIKey = testKey
		assert.Equal(t, want, cfg.sendsKeyInClear(), endpoint)
	}
	cfg := defaultConfig()
	cfg.ClientConfig.Endpoint = "http://helicone.internal"
	assert.False(t, cfg.sendsKeyInClear(), "no key, nothing to leak")
}

func TestTLSVerificationIsOnByDefault(t *testing.T) {
	assert.False(t, defaultConfig().ClientConfig.TLS.InsecureSkipVerify)
}
