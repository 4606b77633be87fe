// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"cmp"
	"slices"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// convention is how one instrumentation records LLM calls. Each lives in its own
// file and is listed in conventions, so adding a convention is adding a file and a
// line here. Where several conventions say the same thing, the lowest rank wins.
type convention struct {
	// markers say what a span is by the convention's own attributes (Classify).
	markers []marker
	// sources are the attributes it records for a field Helicone reads.
	sources []source
	// families read the attributes under a prefix one key at a time.
	families []family
	// prompts and completions add the span's messages; each reports whether it added any.
	prompts, completions []messageSource
	// events adds the messages recorded as span events, where the attributes had none.
	events func(m *Mapper, events ptrace.SpanEventSlice, prompts, completions bool)
	// metadata adds user metadata the convention records in one attribute.
	metadata func(m *Mapper)
}

var conventions = []convention{semconv, openLLMetry, openInference, vercel, logfire, pydanticAI}

type marker struct {
	rank     int
	classify func(attrs pcommon.Map) (Class, bool)
}

// source is an attribute that gives a field. A source of rank 0 is Helicone's own
// key: the span already has what Helicone reads, and nothing is added.
type source struct {
	field field
	rank  int
	slot  slot
	// requestType maps the convention's value to Helicone's request type, for
	// fieldRequestType; nil keeps the value.
	requestType func(string) string
	// count reads a count held in a larger value, for the token fields; nil reads
	// the value itself.
	count func(v pcommon.Value) (int64, bool)
	// str reads a string held in a larger value (a JSON object), for the other
	// fields; nil reads the value itself.
	str func(v string) string
}

type family struct {
	prefix string
	read   func(m *Mapper, rest string, v pcommon.Value)
}

type messageSource struct {
	rank int
	add  func(m *Mapper) bool
}

// field is what Helicone reads that several conventions may give.
type field uint8

const (
	fieldProvider field = iota
	fieldModel
	fieldRequestType
	fieldMaxTokens
	fieldPromptTokens
	fieldCompletionTokens
	fieldTotalTokens
	fieldUser
	fieldSession
	numFields
)

// slot is the index of an attribute the mapping reads, in the values of a span.
type slot int

// slotKeys holds the keys of every slot; attr adds one.
var slotKeys [][]string

// attr registers the keys that name one attribute (one key, or several spellings of
// it across versions) and returns its slot. Called only to initialise package vars.
func attr(keys ...string) slot {
	slotKeys = append(slotKeys, keys)
	return slot(len(slotKeys) - 1)
}

// index is what the conventions read, compiled once.
type index struct {
	fields   [numFields][]source
	markers  []marker
	families []family
	// familyStarts holds the first bytes of the families' prefixes.
	familyStarts [256]bool
	prompts      []messageSource
	complete     []messageSource
	metadata     []func(m *Mapper) // of the conventions that have one, in their order
	events       []func(m *Mapper, events ptrace.SpanEventSlice, prompts, completions bool)
}

func buildIndex() *index {
	ix := &index{}
	for _, c := range conventions {
		for _, s := range c.sources {
			ix.fields[s.field] = append(ix.fields[s.field], s)
		}
		ix.markers = append(ix.markers, c.markers...)
		ix.families = append(ix.families, c.families...)
		for _, f := range c.families {
			ix.familyStarts[f.prefix[0]] = true
		}
		ix.prompts = append(ix.prompts, c.prompts...)
		ix.complete = append(ix.complete, c.completions...)
		if c.metadata != nil {
			ix.metadata = append(ix.metadata, c.metadata)
		}
		if c.events != nil {
			ix.events = append(ix.events, c.events)
		}
	}
	for f := range ix.fields {
		slices.SortStableFunc(ix.fields[f], func(a, b source) int { return cmp.Compare(a.rank, b.rank) })
	}
	slices.SortStableFunc(ix.markers, func(a, b marker) int { return cmp.Compare(a.rank, b.rank) })
	byRank := func(a, b messageSource) int { return cmp.Compare(a.rank, b.rank) }
	slices.SortStableFunc(ix.prompts, byRank)
	slices.SortStableFunc(ix.complete, byRank)
	return ix
}
