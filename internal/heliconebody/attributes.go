// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import (
	"cmp"
	"slices"
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

// Helicone orders a request's messages by the position at which each index of
// gen_ai.prompt.N.* (and choices by gen_ai.completion.N.*) first appears, so the
// encoder writes those attributes last, grouped and in numeric order of N, after all
// the others in their own order.

// indexedAttr is a deferred gen_ai.prompt.N.* or gen_ai.completion.N.* attribute.
type indexedAttr struct {
	group, n, seq int
	kind          readKind
	key           string
	val           pcommon.Value // the span's own value, when added < 0
	added         int           // index into added, or -1
}

// appendSpanAttributes appends the items of a span's attributes array: the span's own
// attributes, then e.added where the span lacks the key, with message attributes last
// in numeric order.
func (e *Encoder) appendSpanAttributes(b []byte, attrs pcommon.Map, added []genai.Attr) []byte {
	e.ordered = e.ordered[:0]
	written := 0
	heliconeOnly, replacing := e.heliconeOnly, replaces(added)
	for k, v := range attrs.All() {
		c := classify(k)
		if c.internal || (heliconeOnly && c.kind == notRead) || (replacing && replaced(k, added)) || e.spanValueDropped(c.kind, v) {
			continue
		}
		if c.message() {
			e.ordered = append(e.ordered, indexedAttr{group: c.group, n: c.n, seq: len(e.ordered), kind: c.kind, key: k, val: v, added: -1})
			continue
		}
		b = e.appendSpanKeyValue(comma(b, written), k, c.kind, v)
		written++
	}
	for i, a := range added {
		c := classify(a.Key)
		if _, has := attrs.Get(a.Key); (has && !a.Replace) || e.addedDropped(c.kind, a) {
			continue
		}
		if c.message() {
			e.ordered = append(e.ordered, indexedAttr{group: c.group, n: c.n, seq: len(e.ordered), kind: c.kind, key: a.Key, added: i})
			continue
		}
		b = e.appendAddedAttr(comma(b, written), c.kind, a)
		written++
	}
	if !inMessageOrder(e.ordered) { // instrumentations mostly write them in order already
		slices.SortFunc(e.ordered, func(x, y indexedAttr) int {
			return cmp.Or(cmp.Compare(x.group, y.group), cmp.Compare(x.n, y.n), cmp.Compare(x.seq, y.seq))
		})
	}
	for _, ia := range e.ordered {
		b = comma(b, written)
		written++
		if ia.added >= 0 {
			b = e.appendAddedAttr(b, ia.kind, added[ia.added])
		} else {
			b = e.appendSpanKeyValue(b, ia.key, ia.kind, ia.val)
		}
	}
	return b
}

// inMessageOrder reports whether attrs, in seq order, are in group and N order.
func inMessageOrder(attrs []indexedAttr) bool {
	for i := 1; i < len(attrs); i++ {
		if x, y := attrs[i-1], attrs[i]; x.group > y.group || (x.group == y.group && x.n > y.n) {
			return false
		}
	}
	return true
}

func (e *Encoder) appendAddedAttr(b []byte, kind readKind, a genai.Attr) []byte {
	b = append(b, `{"key":`...)
	b = e.appendString(b, a.Key)
	switch {
	case kind == readInt && !a.IsNum: // addedDropped let only numeric strings through
		n, _ := parseInt(a.Str)
		e.repairs[repairToInt]++
		b = append(b, `,"value":{"intValue":`...)
		b = strconv.AppendInt(b, n, 10)
	case a.IsNum && isSafeInt(a.Num) && kind != readString:
		b = append(b, `,"value":{"intValue":`...)
		b = strconv.AppendInt(b, a.Num, 10)
	case a.IsNum: // e.g. a total computed from two counts near 2^53, or a number Helicone reads as a string
		if kind == readString {
			e.repairs[repairIntToString]++
		} else {
			e.repairs[repairBigInt]++
		}
		b = append(b, `,"value":{"stringValue":"`...)
		b = append(strconv.AppendInt(b, a.Num, 10), '"')
	default:
		b = append(b, `,"value":{"stringValue":`...)
		b = e.appendString(b, a.Str)
	}
	return append(b, "}}"...)
}

// appendSpanKeyValue appends a span attribute, its value in the type Helicone reads.
func (e *Encoder) appendSpanKeyValue(b []byte, k string, kind readKind, v pcommon.Value) []byte {
	b = append(b, `{"key":`...)
	b = e.appendString(b, k)
	return e.appendSpanValue(b, kind, v)
}

func replaces(added []genai.Attr) bool {
	for i := range added {
		if added[i].Replace {
			return true
		}
	}
	return false
}

func replaced(key string, added []genai.Attr) bool {
	for i := range added {
		if added[i].Replace && added[i].Key == key {
			return true
		}
	}
	return false
}

// comma appends the separator before the next item of an array that has written items.
func comma(b []byte, written int) []byte {
	if written > 0 {
		return append(b, ',')
	}
	return b
}
