// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Package heliconebody writes Helicone's OTELTrace body straight from pdata, one
// small append function per object of the schema (internal/helicone/oteltrace.schema.json),
// in its order. Every required field is written even when zero; nothing outside the
// schema is.
package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import (
	"encoding/hex"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

// Encoder holds the scratch of one body at a time; it is not safe for concurrent use.
type Encoder struct {
	heliconeOnly bool
	nested       []byte        // scratch for maps and slices embedded as JSON strings
	ordered      []indexedAttr // scratch for gen_ai.prompt.N.* / gen_ai.completion.N.* attributes
	repairs      Repairs

	seconds     uint64 // the seconds of the last time written, and their digits
	secondsText []byte
}

// NewEncoder returns an encoder; heliconeOnly leaves out what Helicone does not read
// (attributes.send: helicone).
func NewEncoder(heliconeOnly bool) *Encoder { return &Encoder{heliconeOnly: heliconeOnly} }

// closeBody closes the spans, scopeSpans and resourceSpans arrays of a body.
const closeBody = "]}]}]}"

// Fill appends to dst a body holding as many leading refs as fit in limit bytes, each
// span with added[i] (nil adds nothing), and returns how many it took. It returns 0,
// with dst unchanged, when refs[0] alone does not fit. Repairs then counts what the
// body's spans needed rewritten.
func (e *Encoder) Fill(dst []byte, td ptrace.Traces, refs []Ref, added [][]genai.Attr, limit int) ([]byte, int) {
	e.repairs = Repairs{}
	start := len(dst)
	b := append(dst, `{"resourceSpans":[`...)
	prev := Ref{RS: -1, SS: -1}
	n := 0
	for i, r := range refs {
		mark, repairs := len(b), e.repairs
		rs := td.ResourceSpans().At(r.RS)
		ss := rs.ScopeSpans().At(r.SS)
		switch {
		case r.RS != prev.RS:
			if n > 0 {
				b = append(b, "]}]},"...)
			}
			b = e.appendResourceSpansOpen(b, rs.Resource())
			b = e.appendScopeSpansOpen(b, ss.Scope())
		case r.SS != prev.SS:
			b = append(b, "]},"...)
			b = e.appendScopeSpansOpen(b, ss.Scope())
		default:
			b = append(b, ',')
		}
		var add []genai.Attr
		if added != nil {
			add = added[i]
		}
		b = e.appendSpan(b, ss.Spans().At(r.Span), add)
		if len(b)-start+len(closeBody) > limit {
			b, e.repairs = b[:mark], repairs
			break
		}
		prev = r
		n++
	}
	if n == 0 {
		return dst, 0
	}
	return append(b, closeBody...), n
}

// Repairs counts what the last Fill rewrote, by reason.
func (e *Encoder) Repairs() Repairs { return e.repairs }

// appendResourceSpansOpen opens a resourceSpans item up to its scopeSpans array.
func (e *Encoder) appendResourceSpansOpen(b []byte, res pcommon.Resource) []byte {
	b = append(b, `{"resource":{"attributes":[`...)
	if !e.heliconeOnly { // Helicone ignores resource attributes
		b = e.appendAttributes(b, res.Attributes(), true)
	}
	return appendCount(b, `],"droppedAttributesCount":0},"scopeSpans":[`, res.DroppedAttributesCount())
}

// appendScopeSpansOpen opens a scopeSpans item up to its spans array. Scope attributes
// are not in Helicone's schema and are left out.
func (e *Encoder) appendScopeSpansOpen(b []byte, scope pcommon.InstrumentationScope) []byte {
	b = append(b, `{"scope":{"name":`...)
	b = e.appendString(b, scope.Name())
	b = append(b, `,"version":`...)
	b = e.appendString(b, scope.Version())
	return append(b, `},"spans":[`...)
}

// appendSpan appends one span. parentSpanId, traceState, flags and status.message are
// not in Helicone's schema and are left out.
func (e *Encoder) appendSpan(b []byte, span ptrace.Span, added []genai.Attr) []byte {
	b = append(b, `{"traceId":`...)
	b = appendTraceID(b, span.TraceID())
	b = append(b, `,"spanId":`...)
	b = appendSpanID(b, span.SpanID())
	b = append(b, `,"name":`...)
	b = e.appendString(b, span.Name())
	b = append(b, `,"kind":`...)
	b = strconv.AppendInt(b, int64(span.Kind()), 10)
	b = append(b, `,"startTimeUnixNano":`...)
	b = e.appendTimestamp(b, span.StartTimestamp())
	b = append(b, `,"endTimeUnixNano":`...)
	b = e.appendTimestamp(b, span.EndTimestamp())
	b = append(b, `,"attributes":[`...)
	b = e.appendSpanAttributes(b, span.Attributes(), added)
	b = appendCount(b, `],"droppedAttributesCount":0,"events":[`, span.DroppedAttributesCount())
	for i := 0; i < span.Events().Len() && !e.heliconeOnly; i++ { // Helicone ignores events and links
		b = e.appendEvent(comma(b, i), span.Events().At(i))
	}
	b = appendCount(b, `],"droppedEventsCount":0,"links":[`, span.DroppedEventsCount())
	for i := 0; i < span.Links().Len() && !e.heliconeOnly; i++ {
		b = e.appendLink(comma(b, i), span.Links().At(i))
	}
	b = appendCount(b, `],"droppedLinksCount":0,"status":{"code":`, span.DroppedLinksCount())
	b = strconv.AppendInt(b, int64(span.Status().Code()), 10)
	return append(b, "}}"...)
}

// appendCount appends text, which holds a count of zero, with n in place of the
// zero. Counts are nearly always zero, and one append of a whole constant is
// cheaper than three appends.
func appendCount(b []byte, text string, n uint32) []byte {
	if n == 0 {
		return append(b, text...)
	}
	zero := strings.IndexByte(text, '0')
	return append(strconv.AppendUint(append(b, text[:zero]...), uint64(n), 10), text[zero+1:]...)
}

// appendEvent appends an event; Helicone does not check event items, but they keep the
// same restricted attribute values as spans.
func (e *Encoder) appendEvent(b []byte, ev ptrace.SpanEvent) []byte {
	b = append(b, `{"timeUnixNano":`...)
	b = e.appendTimestamp(b, ev.Timestamp())
	b = append(b, `,"name":`...)
	b = e.appendString(b, ev.Name())
	b = append(b, `,"attributes":[`...)
	b = e.appendAttributes(b, ev.Attributes(), false)
	return appendCount(b, `],"droppedAttributesCount":0}`, ev.DroppedAttributesCount())
}

// appendLink appends a link, in the same restricted form as events.
func (e *Encoder) appendLink(b []byte, l ptrace.SpanLink) []byte {
	b = append(b, `{"traceId":`...)
	b = appendTraceID(b, l.TraceID())
	b = append(b, `,"spanId":`...)
	b = appendSpanID(b, l.SpanID())
	b = append(b, `,"attributes":[`...)
	b = e.appendAttributes(b, l.Attributes(), false)
	return appendCount(b, `],"droppedAttributesCount":0}`, l.DroppedAttributesCount())
}

// appendAttributes appends the items of an attributes array, in their own order.
func (e *Encoder) appendAttributes(b []byte, attrs pcommon.Map, onResource bool) []byte {
	written := 0
	for k, v := range attrs.All() {
		b = e.appendKeyValue(comma(b, written), k, v, onResource)
		written++
	}
	return b
}

func (e *Encoder) appendKeyValue(b []byte, k string, v pcommon.Value, onResource bool) []byte {
	b = append(b, `{"key":`...)
	b = e.appendString(b, k)
	return e.appendValue(b, v, onResource)
}

// appendTimestamp appends ts as a decimal string. The times of a batch mostly share
// their seconds, so the encoder keeps the digits of the last seconds it wrote and
// formats only the nine digits of nanoseconds, two at a time.
func (e *Encoder) appendTimestamp(b []byte, ts pcommon.Timestamp) []byte {
	n := uint64(ts)
	b = append(b, '"')
	if n < 1e9 {
		return append(strconv.AppendUint(b, n, 10), '"')
	}
	if sec := n / 1e9; sec != e.seconds || len(e.secondsText) == 0 {
		e.seconds, e.secondsText = sec, strconv.AppendUint(e.secondsText[:0], sec, 10)
	}
	b = append(b, e.secondsText...)
	var digits [9]byte
	v := n % 1e9
	for i := 8; i > 0; i -= 2 {
		pair := v % 100 * 2
		digits[i-1], digits[i] = twoDigits[pair], twoDigits[pair+1]
		v /= 100
	}
	digits[0] = byte('0' + v)
	return append(append(b, digits[:]...), '"')
}

// twoDigits holds "00" to "99", for writing numbers two digits at a time.
const twoDigits = "0001020304050607080910111213141516171819" +
	"2021222324252627282930313233343536373839" +
	"4041424344454647484950515253545556575859" +
	"6061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// appendTraceID appends a lowercase hex id, or "" for the empty id (as OTLP/JSON does).
func appendTraceID(b []byte, id pcommon.TraceID) []byte { return appendID(b, id[:]) }

func appendSpanID(b []byte, id pcommon.SpanID) []byte { return appendID(b, id[:]) }

// zeroID is the longest id, all zero bytes.
const zeroID = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

func appendID(b, id []byte) []byte {
	if string(id) == zeroID[:len(id)] {
		return append(b, `""`...)
	}
	return append(hex.AppendEncode(append(b, '"'), id), '"')
}
