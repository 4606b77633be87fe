// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Mirrors the output of mdatagen for ../../metadata.yaml (mdatagen is not served by our
// module proxy, so this file is written by hand; keep it in step with metadata.yaml).

// Package metadata holds the helicone exporter's component type, stability and defaults.
package metadata

import (
	"go.opentelemetry.io/collector/component"
)

var (
	Type      = component.MustNewType("helicone")
	ScopeName = "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"
)

const (
	TracesStability = component.StabilityLevelAlpha
	LogsStability   = component.StabilityLevelAlpha
)
