// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"errors"
	"strings"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/logjoin"
)

// LogsConfig bounds the join of GenAI event log records to their spans, which
// applies only when a logs pipeline uses this exporter too (logs.go). The
// official OpenTelemetry instrumentations record an LLM call's messages as log
// records; its span, without them, waits here for them.
type LogsConfig struct {
	// MaxWait is the longest a span waits for its records, and a record for
	// its span. The SDKs' and the collector's batching delay records by a few
	// seconds.
	MaxWait time.Duration `mapstructure:"max_wait"`
	// MaxItems caps the spans and records held together.
	MaxItems int `mapstructure:"max_items"`
	// MaxBytes caps their approximate size in memory, in bytes.
	MaxBytes int `mapstructure:"max_bytes"`
}

func defaultLogsConfig() LogsConfig {
	d := logjoin.DefaultConfig()
	return LogsConfig{MaxWait: d.MaxWait, MaxItems: d.MaxItems, MaxBytes: d.MaxBytes}
}

// Validate names the key and the fix, on one line that the collector
// prefixes with logs.
func (c *LogsConfig) Validate() error {
	if err := c.joinConfig().Validate(); err != nil {
		return errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return nil
}

func (c *LogsConfig) joinConfig() logjoin.Config {
	return logjoin.Config{MaxWait: c.MaxWait, MaxItems: c.MaxItems, MaxBytes: c.MaxBytes}
}
