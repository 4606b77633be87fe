// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Package heliconeexporter sends the LLM spans flowing through a collector to Helicone's
// POST /v1/trace/log, as the strict OTLP-like JSON body ("OTELTrace") its server accepts.
package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"
