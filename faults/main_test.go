//go:build faults || long

package faults

import (
	"fmt"
	"os"
	"testing"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// binary is the otelcol-helicone under test.
var binary string

func TestMain(m *testing.M) {
	bin, err := otelcoltest.Binary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(1)
	}
	binary = bin
	os.Exit(m.Run())
}
