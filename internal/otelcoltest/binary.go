package otelcoltest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BinaryEnv names the binary under test; a relative path is taken from the
// repository root, where make runs.
const BinaryEnv = "OTELCOL_HELICONE_BIN"

// DefaultBinary is where `make build` puts the distribution, below the root.
const DefaultBinary = "_build/otelcol-helicone"

const module = "github.com/otelcol-helicone/otelcol-helicone"

// RepoRoot is the directory of this module's go.mod, found upwards from the
// working directory (a test's package directory, or wherever `go run` runs).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if isModuleRoot(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s above the working directory", module)
		}
		dir = parent
	}
}

func isModuleRoot(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if line := strings.TrimSpace(s.Text()); strings.HasPrefix(line, "module ") {
			return strings.TrimSpace(strings.TrimPrefix(line, "module ")) == module
		}
	}
	return false
}

// Binary is the absolute path of the otelcol-helicone binary: $OTELCOL_HELICONE_BIN
// when set, else _build/otelcol-helicone after running `make build` (a no-op
// when it is up to date).
func Binary() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	if p := os.Getenv(BinaryEnv); p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		return p, checkExecutable(p, BinaryEnv)
	}
	cmd := exec.Command("make", "--no-print-directory", "build")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("make build (set %s to use a prebuilt binary): %w", BinaryEnv, err)
	}
	p := filepath.Join(root, DefaultBinary)
	return p, checkExecutable(p, "make build")
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
