// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import (
	"math"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

// Helicone's parser reads some span attributes and calls string methods on
// them, or puts them in number fields (helicone.ReadKeys). A value of the
// other type makes it throw after logging the spans before it (a 500 that a
// retry repeats, duplicating them) or logs a wrong type. So every key it
// reads goes out in the type it expects: a string key as stringValue (an Int
// as its digits), an int key as intValue (a numeric string or a whole double
// converted, anything else left out of the span).

// wantsInt reports whether Helicone reads key as a number.
func wantsInt(key string) bool {
	switch key {
	case "gen_ai.response.max_tokens", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens", "llm.usage.total_tokens":
		return true
	}
	return false
}

// readKind is how Helicone reads a span attribute key.
type readKind uint8

const (
	notRead readKind = iota
	readString
	readInt
)

// keyClass is what the encoder needs to know of an attribute's key, worked out
// once per attribute: the profile of the collector had the key tests, repeated per
// use, as the largest part of encoding a span's attributes. It has at most four
// fields so that the compiler keeps it in registers: with five, copying it from
// the stack stalled on store forwarding (small_1000 measured about 10% slower).
type keyClass struct {
	kind     readKind
	internal bool // the exporter's own (genai.Internal), never sent
	group    int  // gen_ai.prompt.N.* 0, gen_ai.completion.N.* 1, any other key -1
	n        int
}

// message reports whether the key is a gen_ai.prompt.N.* or gen_ai.completion.N.* one.
func (c keyClass) message() bool { return c.group >= 0 }

func classify(key string) (c keyClass) {
	reads, group, n, message := genai.ClassifyKey(key)
	c.group, c.n = -1, n
	if message {
		c.group = group
	}
	switch {
	case reads && wantsInt(key):
		c.kind = readInt
	case reads:
		c.kind = readString
	case !message: // the exporter's own keys are none Helicone reads
		c.internal = genai.Internal(key)
	}
	return c
}

// asInt is v as a JavaScript-safe integer, when it is one or says one.
func asInt(v pcommon.Value) (int64, bool) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		return v.Int(), isSafeInt(v.Int())
	case pcommon.ValueTypeDouble:
		return wholeDouble(v.Double())
	case pcommon.ValueTypeStr:
		return parseInt(v.Str())
	}
	return 0, false
}

func parseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, isSafeInt(n)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return wholeDouble(f)
	}
	return 0, false
}

func wholeDouble(f float64) (int64, bool) {
	if f != math.Trunc(f) || math.Abs(f) > maxSafeInt {
		return 0, false // also NaN and the infinities
	}
	return int64(f), true
}

// spanValueDropped reports, counting it, that a span attribute's value v is left
// out: Helicone reads its key as a number and v is none.
func (e *Encoder) spanValueDropped(kind readKind, v pcommon.Value) bool {
	if kind != readInt {
		return false
	}
	if _, ok := asInt(v); ok {
		return false
	}
	e.repairs[repairNotInt]++
	return true
}

// addedDropped is spanValueDropped for an attribute the mapper added.
func (e *Encoder) addedDropped(kind readKind, a genai.Attr) bool {
	if kind != readInt {
		return false
	}
	if a.IsNum && isSafeInt(a.Num) {
		return false
	}
	if _, ok := parseInt(a.Str); ok && !a.IsNum {
		return false
	}
	e.repairs[repairNotInt]++
	return true
}

// appendSpanValue is appendValue for a span attribute, in the type Helicone reads
// its key as; spanValueDropped has left out the int-read values that are no number.
func (e *Encoder) appendSpanValue(b []byte, kind readKind, v pcommon.Value) []byte {
	switch kind {
	case readInt:
		n, _ := asInt(v)
		if v.Type() != pcommon.ValueTypeInt {
			e.repairs[repairToInt]++
		}
		return append(strconv.AppendInt(append(b, `,"value":{"intValue":`...), n, 10), "}}"...)
	case readString:
		if v.Type() == pcommon.ValueTypeInt {
			e.repairs[repairIntToString]++
			b = strconv.AppendInt(append(b, `,"value":{"stringValue":"`...), v.Int(), 10)
			return append(b, `"}}`...)
		}
	}
	return e.appendValue(b, v, false)
}
