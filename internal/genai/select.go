// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"bytes"
	"path"
	"slices"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Helicone logs every span it receives as an LLM request, so only the spans that are
// LLM calls, as each convention marks them, are sent; and of LLM spans nested in one
// another only the innermost, the one closest to the provider.

// Class is what the selection makes of a span.
type Class uint8

const (
	ClassOther   Class = iota // not an LLM call: HTTP, database, tool, ...
	ClassLLM                  // an LLM call: chat, completion, embeddings
	ClassWrapper              // an SDK or framework span around LLM calls
)

// Rule matches a span when every field given matches.
type Rule struct {
	Name      string // a glob on the span name, as in path.Match
	Attribute string // a span attribute key that must be present
}

// Selector keeps the spans to send: LLM calls, or every span, plus those matching a
// rule. It is safe for concurrent use.
type Selector struct {
	all      bool
	include  []Rule
	sessions bool
}

// NewSelector returns a selector of LLM calls, or of every span when all is set.
// With sessions, it writes on each call the agents and tools above it (session.go).
func NewSelector(all bool, include []Rule, sessions bool) *Selector {
	return &Selector{all: all, include: include, sessions: sessions}
}

// Dropped counts the spans Select removed, by reason.
type Dropped struct {
	NotLLM  int // HTTP, database, tool and other spans
	Wrapper int // SDK and framework spans around LLM calls, and outer LLM calls
}

// spanKey identifies a span within a batch.
type spanKey [24]byte

func keyOf(trace pcommon.TraceID, span pcommon.SpanID) (k spanKey) {
	copy(k[:16], trace[:])
	copy(k[16:], span[:])
	return k
}

func compareKeys(a, b spanKey) int { return bytes.Compare(a[:], b[:]) }

// verdict is what Select decides for a span.
type verdict uint8

const (
	keepCall verdict = iota // an LLM call, dropped if it wraps another of the batch
	keepRule                // matched by an include rule
	drop
)

// selection is the scratch of one Select call.
type selection struct {
	verdicts []verdict               // per span, in order
	parents  []spanKey               // the parents of the LLM calls, sorted
	spans    map[spanKey]ptrace.Span // every span of the batch, for annotate
	segs     []string                // a call's ancestry, for annotate
}

var selections = sync.Pool{New: func() any { return new(selection) }}

// Select removes from td the spans not to send and returns how many of each kind.
// A batch is what Select is given: an outer LLM call is dropped when its inner call
// is in the same batch.
func (s *Selector) Select(td ptrace.Traces) Dropped {
	if s.all {
		return Dropped{}
	}
	sel := selections.Get().(*selection)
	defer selections.Put(sel)
	sel.verdicts, sel.parents = sel.verdicts[:0], sel.parents[:0]
	var d Dropped
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				v := keepCall
				switch class := Classify(span.Attributes()); {
				case class == ClassLLM:
					if !span.ParentSpanID().IsEmpty() {
						sel.parents = append(sel.parents, keyOf(span.TraceID(), span.ParentSpanID()))
					}
				case s.included(span):
					v = keepRule
				case class == ClassWrapper:
					v = drop
					d.Wrapper++
				default:
					v = drop
					d.NotLLM++
				}
				sel.verdicts = append(sel.verdicts, v)
			}
		}
	}
	if s.sessions && len(sel.parents) > 0 {
		sel.annotate(td)
	}
	slices.SortFunc(sel.parents, compareKeys)
	i := 0
	td.ResourceSpans().RemoveIf(func(rs ptrace.ResourceSpans) bool {
		rs.ScopeSpans().RemoveIf(func(ss ptrace.ScopeSpans) bool {
			ss.Spans().RemoveIf(func(span ptrace.Span) bool {
				v := sel.verdicts[i]
				i++
				if v == keepCall && sel.isParent(span) {
					d.Wrapper++ // an outer LLM call around another of the batch
					return true
				}
				return v == drop
			})
			return ss.Spans().Len() == 0
		})
		return rs.ScopeSpans().Len() == 0
	})
	return d
}

func (sel *selection) isParent(span ptrace.Span) bool {
	if len(sel.parents) == 0 {
		return false
	}
	_, found := slices.BinarySearchFunc(sel.parents, keyOf(span.TraceID(), span.SpanID()), compareKeys)
	return found
}

// included reports whether a span matches one of the include rules.
func (s *Selector) included(span ptrace.Span) bool {
	for _, m := range s.include {
		if m.Name != "" {
			if ok, _ := path.Match(m.Name, span.Name()); !ok {
				continue
			}
		}
		if m.Attribute != "" {
			if _, ok := span.Attributes().Get(m.Attribute); !ok {
				continue
			}
		}
		return true
	}
	return false
}

// Classify reads what agent frameworks mark their spans with, then the markers of
// each convention, the most specific first.
func Classify(attrs pcommon.Map) Class {
	if c, ok := frameworkClass(attrs); ok {
		return c
	}
	for _, m := range compiled().markers {
		if c, ok := m.classify(attrs); ok {
			return c
		}
	}
	return ClassOther
}

// compiled is the conventions' index, built on first use.
var compiled = sync.OnceValue(buildIndex)

// Agent frameworks put the model, and the usage summed over the calls below, on
// spans that are no call of their own; the conventions' markers would take them for
// one. frameworkClass knows them first.
func frameworkClass(attrs pcommon.Map) (Class, bool) {
	// Logfire's log spans ("streaming response from 'm' took 1.2s", start = end) and
	// pending spans (sent while a span is open) repeat a span sent on its own.
	if t := strAttr(attrs, "logfire.span_type"); t == "log" || t == "pending_span" {
		return ClassOther, true
	}
	switch strAttr(attrs, "gen_ai.operation.name") {
	case "execute_event_loop_cycle", "invoke_swarm", "invoke_graph": // Strands' own operations
		return ClassWrapper, true
	}
	for _, k := range frameworkWrapperKeys {
		if _, ok := attrs.Get(k); ok {
			return ClassWrapper, true
		}
	}
	return ClassOther, false
}

// frameworkWrapperKeys are attributes only a framework's agent or cycle span has.
var frameworkWrapperKeys = []string{
	"event_loop.cycle_id",                  // Strands' event loop cycle
	"pydantic_ai.all_messages",             // pydantic-ai's agent run
	"all_messages_events",                  // pydantic-ai's agent run, before 0.2
	"gen_ai.aggregated_usage.input_tokens", // pydantic-ai's agent run, the usage of its calls
}
