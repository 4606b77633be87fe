// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import "go.opentelemetry.io/collector/pdata/ptrace"

// Ref locates one span of a ptrace.Traces by its indexes; a push splits its spans
// into bodies by slicing a list of refs.
type Ref struct {
	RS, SS, Span int
}

// AppendRefs appends a reference to every span of td, in order, to refs.
func AppendRefs(refs []Ref, td ptrace.Traces) []Ref {
	for i, rs := range td.ResourceSpans().All() {
		for j, ss := range rs.ScopeSpans().All() {
			for k := range ss.Spans().Len() {
				refs = append(refs, Ref{RS: i, SS: j, Span: k})
			}
		}
	}
	return refs
}

// SpanAt is the span r locates in td.
func SpanAt(td ptrace.Traces, r Ref) ptrace.Span {
	return td.ResourceSpans().At(r.RS).ScopeSpans().At(r.SS).Spans().At(r.Span)
}

// Subset builds new traces holding copies of the referenced spans, with their
// resources and scopes: what a failed push hands back for retry.
func Subset(td ptrace.Traces, refs []Ref) ptrace.Traces {
	out := ptrace.NewTraces()
	prev := Ref{RS: -1, SS: -1}
	var rsOut ptrace.ResourceSpans
	var ssOut ptrace.ScopeSpans
	for _, r := range refs {
		rs := td.ResourceSpans().At(r.RS)
		if r.RS != prev.RS {
			rsOut = out.ResourceSpans().AppendEmpty()
			rs.Resource().CopyTo(rsOut.Resource())
			rsOut.SetSchemaUrl(rs.SchemaUrl())
		}
		ss := rs.ScopeSpans().At(r.SS)
		if r.RS != prev.RS || r.SS != prev.SS {
			ssOut = rsOut.ScopeSpans().AppendEmpty()
			ss.Scope().CopyTo(ssOut.Scope())
			ssOut.SetSchemaUrl(ss.SchemaUrl())
		}
		ss.Spans().At(r.Span).CopyTo(ssOut.Spans().AppendEmpty())
		prev = r
	}
	return out
}
