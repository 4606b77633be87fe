// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Package genai says what a span means to Helicone: Select keeps the spans that are
// LLM calls, Map computes the attributes Helicone reads that a span lacks, from what
// its instrumentation recorded instead. Each instrumentation convention lives in its
// own file (semconv.go, openllmetry.go, openinference.go, vercel.go); docs/genai.md
// has the full table. The package knows nothing of JSON bodies or HTTP.
package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

// Attr is an attribute Map adds to a span for Helicone; the body writer writes it
// only where the span lacks the key, unless Replace.
type Attr struct {
	Key   string
	Str   string
	Num   int64
	IsNum bool
	// Replace writes it instead of the span's own value (only a normalised gen_ai.system).
	Replace bool
}

// Issue names a source Map could not use in full; the original attributes are sent
// as they are.
type Issue int

const (
	IssueMalformedJSON Issue = iota // a messages attribute that is not valid JSON
	IssueTruncated                  // a message longer than the cap, cut
	NumIssues
)

// IssueNames label the exporter_helicone_mapping_issues metric.
var IssueNames = [NumIssues]string{"malformed_json", "truncated"}

// Issues counts issues by kind.
type Issues [NumIssues]int64

// Add adds the counts of o.
func (is *Issues) Add(o Issues) {
	for i, n := range o {
		is[i] += n
	}
}
