// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Mirrors the package test mdatagen generates: no goroutine may outlive the tests.

package heliconeexporter

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
