// Package versions holds no code: its test keeps the collector release line in
// one piece. builder-config.yaml, go.mod and the Makefile's OCB_VERSION must
// all name the same release (core 1.x modules at Stable, everything else at
// Beta), or ocb fails its strict version check, or worse, builds a collector
// whose exporter was tested against other module versions.
package versions
