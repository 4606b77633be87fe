package helicone

import (
	"encoding/json"
	"math"
	"strconv"
)

// valueJSON is an attribute value on the wire. Only the two fields the server
// reads are decoded; RawMessage keeps them verbatim so a malformed body is
// read the way JavaScript would, not rejected.
type valueJSON struct {
	StringValue json.RawMessage `json:"stringValue"`
	IntValue    json.RawMessage `json:"intValue"`
}

// attrValue is an attribute value as the server reads it:
// `value.stringValue ?? value.intValue`.
type attrValue struct {
	text  string // the string, or the number as written
	isInt bool   // the value came from intValue
	set   bool   // false when neither field is there; the key still exists
}

func readValue(v valueJSON) attrValue {
	if raw := v.StringValue; len(raw) > 0 && string(raw) != "null" {
		return attrValue{text: rawText(raw), set: true}
	}
	if raw := v.IntValue; len(raw) > 0 && string(raw) != "null" {
		return attrValue{text: rawText(raw), isInt: true, set: true}
	}
	return attrValue{}
}

// rawText is a JSON string's content, or any other JSON value as written.
func rawText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// int64 is the value as a whole number, if it is an intValue holding one.
func (v attrValue) int64() (int64, bool) {
	if !v.isInt {
		return 0, false
	}
	if n, err := strconv.ParseInt(v.text, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(v.text, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// attributes are a span's attributes as the server's JavaScript Map holds
// them: a key keeps the position where it first appeared and the value it
// was last given.
type attributes struct {
	keys   []string
	values map[string]attrValue
}

func newAttributes(list []attributeJSON) attributes {
	a := attributes{values: make(map[string]attrValue, len(list))}
	for _, kv := range list {
		if _, seen := a.values[kv.Key]; !seen {
			a.keys = append(a.keys, kv.Key)
		}
		a.values[kv.Key] = readValue(kv.Value)
	}
	return a
}

// has reports whether the key was sent, even with an empty value.
func (a attributes) has(key string) bool {
	_, ok := a.values[key]
	return ok
}

// lookup returns the value of key when it was sent with one.
func (a attributes) lookup(key string) (attrValue, bool) {
	v := a.values[key]
	return v, v.set
}

// str is the value of key as text, "" when absent.
func (a attributes) str(key string) string {
	return a.values[key].text
}

// count is the value of key as a whole number, nil unless it is an intValue.
func (a attributes) count(key string) *int64 {
	if n, ok := a.values[key].int64(); ok {
		return &n
	}
	return nil
}
