// Package e2e tests the otelcol-helicone distribution as users run it: the
// binary built by ocb, started with the configs in config/, fed over OTLP by
// the OpenTelemetry Go SDK, exporting to the fake Helicone endpoint of
// internal/helicone, which validates and records every request as Helicone's
// server would.
//
// The binary is OTELCOL_HELICONE_BIN when set (`make test` sets it; a relative
// path is taken from the repository root), else `make build` is run first.
package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// root is the repository root; tests run in e2e/.
var root = filepath.Join("..")

// binary is the absolute path of the otelcol-helicone binary under test.
var binary string

func TestMain(m *testing.M) {
	bin, err := collectorBinary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	binary = bin
	os.Exit(m.Run())
}

func collectorBinary() (string, error) {
	if p := os.Getenv("OTELCOL_HELICONE_BIN"); p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p) // relative to the repository root, where make runs
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		return abs, checkExecutable(abs, "OTELCOL_HELICONE_BIN")
	}
	// Up to date, this is a no-op; otherwise it installs ocb and builds.
	cmd := exec.Command("make", "--no-print-directory", "build")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("make build (set OTELCOL_HELICONE_BIN to test a prebuilt binary): %w", err)
	}
	abs, err := filepath.Abs(filepath.Join(root, "_build", "otelcol-helicone"))
	if err != nil {
		return "", err
	}
	return abs, checkExecutable(abs, "make build")
}

func checkExecutable(path, from string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return errors.New(from + ": " + path + " is not an executable file")
	}
	return nil
}
