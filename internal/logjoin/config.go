package logjoin

import (
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Config bounds what a Joiner holds.
type Config struct {
	// MaxWait is the longest a span waits for its records, and a record for
	// its span. Batching in the SDK and the collector delays records by a few
	// seconds, so the default is 10s.
	MaxWait time.Duration
	// MaxItems caps the spans and records held together.
	MaxItems int
	// MaxBytes caps their approximate size in memory.
	MaxBytes int
	// Waits says whether a span must wait for its records. Nil means
	// LLMWithoutContent.
	Waits func(ptrace.Span) bool
}

// DefaultConfig is a Config for a collector: 10s, 10 000 items, 64 MiB.
func DefaultConfig() Config {
	return Config{MaxWait: 10 * time.Second, MaxItems: 10_000, MaxBytes: 64 << 20}
}

// Validate names the setting at fault and the fix.
func (c Config) Validate() error {
	var errs []error
	if c.MaxWait <= 0 {
		errs = append(errs, fmt.Errorf("max_wait: %v must be positive, e.g. 10s", c.MaxWait))
	}
	if c.MaxItems <= 0 {
		errs = append(errs, fmt.Errorf("max_items: %d must be positive, e.g. 10000", c.MaxItems))
	}
	if c.MaxBytes <= 0 {
		errs = append(errs, fmt.Errorf("max_bytes: %d must be positive, e.g. 67108864 (64 MiB)", c.MaxBytes))
	}
	return errors.Join(errs...)
}
