// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

// tracePath is where Helicone ingests traces, below the configured endpoint.
const tracePath = "/v1/trace/log"

// Config defines the configuration of the helicone exporter.
type Config struct {
	ClientConfig confighttp.ClientConfig                                  `mapstructure:",squash"` // squash ensures fields are correctly decoded in embedded struct.
	QueueConfig  configoptional.Optional[exporterhelper.QueueBatchConfig] `mapstructure:"sending_queue"`
	RetryConfig  configretry.BackOffConfig                                `mapstructure:"retry_on_failure"`

	// APIKey is sent as "Authorization: Bearer <key>". It must have write and read
	// permission: Helicone answers 401 to a write-only key on this path.
	APIKey configopaque.String `mapstructure:"api_key"`

	// APIKeyFrom takes each request's key from its client metadata (config_tenant.go).
	APIKeyFrom APIKeyFromConfig `mapstructure:"api_key_from"`

	// MaxRequestSize caps the uncompressed JSON body of one request, in bytes. Larger
	// batches are split over several requests; a single span larger than this is dropped.
	MaxRequestSize int `mapstructure:"max_request_size"`

	// Spans chooses which spans are sent; Attributes what each carries (config_genai.go).
	Spans      SpansConfig      `mapstructure:"spans"`
	Attributes AttributesConfig `mapstructure:"attributes"`

	// Logs bounds the join of GenAI log records to their spans (config_logs.go).
	Logs LogsConfig `mapstructure:"logs"`

	// DeliveryRecords remember, next to a persistent queue, which spans Helicone
	// accepted, so that spans the queue replays after a restart are not logged twice.
	DeliveryRecords DeliveryRecordsConfig `mapstructure:"delivery_records"`
}

// DeliveryRecordsConfig sets the records kept in sending_queue.storage
// (internal/delivery); without a storage they are off.
type DeliveryRecordsConfig struct {
	// Enabled turns them on (the default) when sending_queue.storage is set.
	Enabled bool `mapstructure:"enabled"`
	// TTL is how long a span is remembered; it must outlast the longest outage the
	// queue rides out. 0 means 24h.
	TTL time.Duration `mapstructure:"ttl"`
	// MaxSpans caps the spans remembered, the oldest forgotten first. 0 means 262144.
	MaxSpans int `mapstructure:"max_spans"`
}

var _ component.Config = (*Config)(nil)

// minRequestSize is the smallest max_request_size that still fits a small LLM span.
const minRequestSize = 16 * 1024

// Validate checks the configuration at start, naming the key and the fix in every error.
func (cfg *Config) Validate() error {
	var errs []error
	if err := validateEndpoint(cfg.ClientConfig.Endpoint); err != nil {
		errs = append(errs, err)
	}
	if cfg.APIKey == "" && !cfg.ClientConfig.Auth.HasValue() && !cfg.hasAuthorizationHeader() && !cfg.APIKeyFrom.enabled() {
		errs = append(errs, errors.New("api_key: missing; set `api_key: ${env:HELICONE_API_KEY}` (a Helicone key with read and write permission), or configure an `auth` extension or an `Authorization` header"))
	}
	switch cfg.ClientConfig.Compression {
	case "", "none", configcompression.TypeGzip, configcompression.TypeDeflate:
	default:
		errs = append(errs, fmt.Errorf("compression: %q is not accepted by Helicone's server; use gzip (the default), deflate or none", cfg.ClientConfig.Compression))
	}
	if cfg.MaxRequestSize < minRequestSize {
		errs = append(errs, fmt.Errorf("max_request_size: %d is too small; use at least %d bytes (the default is %d)", cfg.MaxRequestSize, minRequestSize, defaultMaxRequestSize))
	}
	if cfg.MaxRequestSize > maxServerBodySize {
		errs = append(errs, fmt.Errorf("max_request_size: %d exceeds Helicone's own 50 MB body limit; use at most %d bytes", cfg.MaxRequestSize, maxServerBodySize))
	}
	if cfg.DeliveryRecords.TTL < 0 || cfg.DeliveryRecords.MaxSpans < 0 {
		errs = append(errs, errors.New("delivery_records: ttl and max_spans must not be negative; 0 takes the defaults (24h, 262144)"))
	}
	errs = append(errs, cfg.APIKeyFrom.validateWith(cfg))
	return errors.Join(errs...)
}

// validateEndpoint accepts a base URL such as https://api.helicone.ai or
// https://host/jawn; the exporter appends /v1/trace/log itself.
func validateEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint: %q is not a base URL; use e.g. https://api.helicone.ai, https://eu.api.helicone.ai or http://localhost:8585", endpoint)
	}
	if strings.HasSuffix(strings.TrimRight(u.Path, "/"), tracePath) {
		return fmt.Errorf("endpoint: %q already ends in %s; give the base URL only, the exporter appends the path", endpoint, tracePath)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("endpoint: %q has a query or fragment; give the base URL only", endpoint)
	}
	return nil
}

func (cfg *Config) hasAuthorizationHeader() bool {
	for name := range cfg.ClientConfig.Headers.Iter {
		if strings.EqualFold(name, "Authorization") {
			return true
		}
	}
	return false
}

// sendsKeyInClear reports whether the API key would cross a network unencrypted:
// plain http to a host other than loopback (the dev server and a local self-hosted
// Helicone are fine).
func (cfg *Config) sendsKeyInClear() bool {
	u, err := url.Parse(cfg.ClientConfig.Endpoint)
	if err != nil || u.Scheme != "http" || (cfg.APIKey == "" && !cfg.APIKeyFrom.enabled()) {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// traceURL is the full address the exporter posts to.
func (cfg *Config) traceURL() string {
	return strings.TrimRight(cfg.ClientConfig.Endpoint, "/") + tracePath
}
