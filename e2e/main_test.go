// Package e2e tests the otelcol-helicone distribution as users run it: the
// binary built by ocb, started with the configs in config/, fed over OTLP by
// the OpenTelemetry Go SDK, exporting to the fake Helicone endpoint of
// internal/helicone, which validates and records every request as Helicone's
// server would.
//
// The binary is OTELCOL_HELICONE_BIN when set (`make test` sets it; a relative
// path is taken from the repository root), else `make build` is run first
// (internal/otelcoltest finds it and runs it).
package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// root is the repository root; tests run in e2e/.
var root = filepath.Join("..")

// binary is the absolute path of the otelcol-helicone binary under test.
var binary string

func TestMain(m *testing.M) {
	bin, err := otelcoltest.Binary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	binary = bin
	os.Exit(m.Run())
}
