package helicone

import (
	"math"
)

// Value is a span attribute value as the server holds it after reading
// `value.stringValue ?? value.intValue`: a string, a number (an intValue,
// numeric strings already made numbers by the validator), or undefined
// when neither field was sent. The zero Value is undefined.
type Value struct {
	kind valueKind
	str  string
	num  float64
}

type valueKind uint8

const (
	undefined valueKind = iota
	stringKind
	numberKind
)

// StringValue and NumberValue make Values, e.g. for tests.
func StringValue(s string) Value  { return Value{kind: stringKind, str: s} }
func NumberValue(f float64) Value { return Value{kind: numberKind, num: f} }

// IsZero reports an undefined value, which JSON.stringify leaves out.
func (v Value) IsZero() bool { return v.kind == undefined }

// IsString and IsNumber tell the two defined kinds apart.
func (v Value) IsString() bool { return v.kind == stringKind }
func (v Value) IsNumber() bool { return v.kind == numberKind }

// Text is String(value), "" when undefined.
func (v Value) Text() string {
	switch v.kind {
	case stringKind:
		return v.str
	case numberKind:
		return jsNumber(v.num)
	}
	return ""
}

// MarshalJSON writes the value as JSON.stringify does; an undefined value
// must be left out by the caller (omitzero).
func (v Value) MarshalJSON() ([]byte, error) { return v.appendJSON(nil), nil }

func (v Value) appendJSON(b []byte) []byte {
	switch v.kind {
	case stringKind:
		return appendJSString(b, v.str)
	case numberKind:
		return appendJSON(b, v.num)
	}
	return append(b, "null"...)
}

// count is the value as a whole number, if it is a number holding one.
func (v Value) count() (int64, bool) {
	if v.kind != numberKind || v.num != math.Trunc(v.num) || math.Abs(v.num) > math.MaxInt64 {
		return 0, false
	}
	return int64(v.num), true
}

// readValue is `value.stringValue ?? value.intValue` on a validated value.
func readValue(v any) Value {
	obj, ok := v.(*object)
	if !ok {
		return Value{}
	}
	if s, ok := obj.vals["stringValue"].(string); ok {
		return StringValue(s)
	}
	if f, ok := obj.vals["intValue"].(float64); ok {
		return NumberValue(f)
	}
	return Value{}
}

// attributes are a span's attributes as the server's JavaScript Map holds
// them: a key keeps the position where it first appeared and the value it
// was last given.
type attributes struct {
	keys   []string
	values map[string]Value
}

// has reports whether the key was sent, even with an undefined value.
func (a attributes) has(key string) bool {
	_, ok := a.values[key]
	return ok
}

// get is Map.get: undefined when absent.
func (a attributes) get(key string) Value { return a.values[key] }

// or is `a.get(key) ?? fallback`.
func (a attributes) or(key string, fallback Value) Value {
	if v := a.values[key]; !v.IsZero() {
		return v
	}
	return fallback
}

// count is the value of key as a whole number, nil unless it is a number.
func (a attributes) count(key string) *int64 {
	if n, ok := a.values[key].count(); ok {
		return &n
	}
	return nil
}
