// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import (
	"encoding/base64"
	"math"
	"strconv"
	"unsafe"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Helicone accepts only {stringValue} and {intValue} (a JS number) as span attribute
// values, and also {arrayValue} of strings on the resource. Every other pdata value is
// mapped to one of those, the same way everywhere (span, event, link, resource):
//
//	Str               stringValue
//	Int  |v| <= 2^53  intValue
//	Int  beyond       stringValue, decimal digits (a JS number would round it)
//	Double            stringValue: shortest decimal that round-trips, "NaN", "Infinity", "-Infinity"
//	Bool              stringValue "true" / "false"
//	Bytes             stringValue, standard base64 (as in OTLP/JSON)
//	Map               stringValue, the map as a compact JSON object
//	Slice             stringValue, the slice as a compact JSON array; on the resource a
//	                  slice of strings only stays arrayValue
//	Empty             stringValue ""
//
// Inside the JSON of a map or slice: strings, bools and safe ints as themselves,
// finite doubles as numbers, the rest as the strings above, empty as null.

// repairReason names why a value was rewritten for Helicone.
type repairReason int

const (
	repairInvalidUTF8 repairReason = iota
	repairBool
	repairDouble
	repairBigInt
	repairBytes
	repairMap
	repairSlice
	repairEmpty
	repairIntToString // an Int on a key Helicone reads as a string
	repairToInt       // a numeric string or whole double on a key Helicone reads as a number
	repairNotInt      // no number on a key Helicone reads as a number: left out
	numRepairReasons
)

// RepairNames label the exporter_helicone_repaired_attributes metric, by reason.
var RepairNames = [numRepairReasons]string{
	"invalid_utf8", "bool", "double", "int_beyond_2^53", "bytes", "map", "slice", "empty",
	"int_as_string", "converted_to_int", "not_an_int_dropped",
}

// Repairs counts the values rewritten for Helicone, indexed as RepairNames.
type Repairs [numRepairReasons]int64

// Add adds the counts of o.
func (r *Repairs) Add(o Repairs) {
	for i, n := range o {
		r[i] += n
	}
}

// maxSafeInt is the largest integer a JavaScript number holds exactly (2^53).
const maxSafeInt = 1 << 53

func isSafeInt(v int64) bool { return v >= -maxSafeInt && v <= maxSafeInt }

// appendValue appends the rest of a key-value item after its key: the
// "value" field with the {"stringValue":...} or {"intValue":...} object for v, and
// the item's closing brace. Writing the constant parts as one saves an append each
// (two to four per attribute).
func (e *Encoder) appendValue(b []byte, v pcommon.Value, onResource bool) []byte {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		b = append(b, `,"value":{"stringValue":`...)
		b = e.appendString(b, v.Str())
	case pcommon.ValueTypeInt:
		if isSafeInt(v.Int()) {
			b = append(b, `,"value":{"intValue":`...)
			b = strconv.AppendInt(b, v.Int(), 10)
			break
		}
		e.repairs[repairBigInt]++
		b = append(b, `,"value":{"stringValue":"`...)
		b = strconv.AppendInt(b, v.Int(), 10)
		b = append(b, '"')
	case pcommon.ValueTypeSlice:
		if onResource && allStrings(v.Slice()) {
			return e.appendStringArrayValue(b, v.Slice())
		}
		e.repairs[repairSlice]++
		b = append(b, `,"value":{"stringValue":`...)
		b = e.appendEmbeddedJSON(b, v)
	case pcommon.ValueTypeMap:
		e.repairs[repairMap]++
		b = append(b, `,"value":{"stringValue":`...)
		b = e.appendEmbeddedJSON(b, v)
	default:
		b = append(b, `,"value":{"stringValue":`...)
		b = e.appendScalarAsString(b, v)
	}
	return append(b, "}}"...)
}

// appendScalarAsString appends a bool, double, bytes or empty value as a JSON string.
func (e *Encoder) appendScalarAsString(b []byte, v pcommon.Value) []byte {
	switch v.Type() {
	case pcommon.ValueTypeBool:
		e.repairs[repairBool]++
		return append(append(append(b, '"'), strconv.FormatBool(v.Bool())...), '"')
	case pcommon.ValueTypeDouble:
		e.repairs[repairDouble]++
		return append(appendFloatText(append(b, '"'), v.Double()), '"')
	case pcommon.ValueTypeBytes:
		e.repairs[repairBytes]++
		return append(base64.StdEncoding.AppendEncode(append(b, '"'), v.Bytes().AsRaw()), '"')
	default:
		e.repairs[repairEmpty]++
		return append(b, `""`...)
	}
}

// appendFloatText appends f as text, with JavaScript's names for the non-finite values.
func appendFloatText(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

func allStrings(s pcommon.Slice) bool {
	for i := 0; i < s.Len(); i++ {
		if s.At(i).Type() != pcommon.ValueTypeStr {
			return false
		}
	}
	return true
}

// appendStringArrayValue appends the resource-only {"arrayValue":{"values":[...]}}
// as the rest of an item, like appendValue.
func (e *Encoder) appendStringArrayValue(b []byte, s pcommon.Slice) []byte {
	b = append(b, `,"value":{"arrayValue":{"values":[`...)
	for i := 0; i < s.Len(); i++ {
		b = append(comma(b, i), `{"stringValue":`...)
		b = e.appendString(b, s.At(i).Str())
		b = append(b, '}')
	}
	return append(b, "]}}}"...)
}

// appendEmbeddedJSON appends a map or slice as a JSON string holding its compact JSON.
func (e *Encoder) appendEmbeddedJSON(b []byte, v pcommon.Value) []byte {
	e.nested = e.appendPlainJSON(e.nested[:0], v)
	// unsafe: the escaper only reads e.nested; a copy costs an allocation per map or
	// slice value (BenchmarkGenAIMap, openinference send=all: 322560 B/op copied, 311040 not).
	return e.appendString(b, unsafe.String(unsafe.SliceData(e.nested), len(e.nested)))
}

// appendPlainJSON appends v as ordinary JSON (not OTLP's typed-value form).
func (e *Encoder) appendPlainJSON(b []byte, v pcommon.Value) []byte {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return e.appendString(b, v.Str())
	case pcommon.ValueTypeInt:
		if isSafeInt(v.Int()) {
			return strconv.AppendInt(b, v.Int(), 10)
		}
		return append(strconv.AppendInt(append(b, '"'), v.Int(), 10), '"')
	case pcommon.ValueTypeDouble:
		if f := v.Double(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return strconv.AppendFloat(b, f, 'g', -1, 64)
		}
		return append(appendFloatText(append(b, '"'), v.Double()), '"')
	case pcommon.ValueTypeBool:
		return strconv.AppendBool(b, v.Bool())
	case pcommon.ValueTypeBytes:
		return append(base64.StdEncoding.AppendEncode(append(b, '"'), v.Bytes().AsRaw()), '"')
	case pcommon.ValueTypeMap:
		b = append(b, '{')
		written := 0
		for k, mv := range v.Map().All() {
			b = append(e.appendString(comma(b, written), k), ':')
			b = e.appendPlainJSON(b, mv)
			written++
		}
		return append(b, '}')
	case pcommon.ValueTypeSlice:
		b = append(b, '[')
		s := v.Slice()
		for i := 0; i < s.Len(); i++ {
			b = e.appendPlainJSON(comma(b, i), s.At(i))
		}
		return append(b, ']')
	default:
		return append(b, "null"...)
	}
}
