package helicone

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The server is JavaScript: JSON.parse, String(x), parseInt, parseFloat and
// JSON.stringify decide what it accepts and what it stores. These helpers do
// the same in Go for the values a request body can hold: nil (null), bool,
// float64, string, []any and *object.

// object is a parsed JSON object that keeps JavaScript's key order: the
// position where a key first appeared, the value it was last given.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

func (o *object) set(key string, v any) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
}

// jsKeys is Object.keys: integer-like keys first in numeric order, then the
// others in insertion order.
func (o *object) jsKeys() []string {
	var ints, rest []string
	for _, k := range o.keys {
		if isArrayIndex(k) {
			ints = append(ints, k)
		} else {
			rest = append(rest, k)
		}
	}
	slices.SortFunc(ints, func(a, b string) int { return cmpLen(a, b) })
	return append(ints, rest...)
}

func cmpLen(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func isArrayIndex(k string) bool {
	n, err := strconv.ParseUint(k, 10, 32)
	return err == nil && n < math.MaxUint32 && strconv.FormatUint(n, 10) == k
}

// parseJSON is JSON.parse. Numbers become float64, past the range ±Inf.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			arr := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		obj := &object{vals: map[string]any{}}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseValue(dec)
			if err != nil {
				return nil, err
			}
			obj.set(key.(string), v)
		}
		_, err := dec.Token()
		return obj, err
	case json.Number:
		return parseNumber(string(t)), nil
	default:
		return t, nil // nil, bool or string
	}
}

// parseNumber reads a decimal literal as JavaScript does: out of range is
// ±Infinity or 0, no digits is NaN.
func parseNumber(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	var numErr *strconv.NumError
	if err != nil && !(errors.As(err, &numErr) && numErr.Err == strconv.ErrRange) {
		return math.NaN()
	}
	return f
}

// jsString is String(v).
func jsString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return jsNumber(v)
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	default:
		return "[object Object]"
	}
}

// jsNumber is String(f): decimal notation from 1e-6 up to 1e21, exponent
// notation outside, the shortest digits that read back as f.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	if abs := math.Abs(f); abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	return strings.NewReplacer("e-0", "e-", "e+0", "e+").Replace(s)
}

// floatPattern is validator.js's isFloat for the default locale, which tsoa
// runs on String(value) of every number field.
var floatPattern = regexp.MustCompile(`^[-+]?[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?$`)

// coerceNumber is tsoa's validateFloat with bodyCoercion on: the value as a
// number, or false when String(value) is not a float literal.
func coerceNumber(v any) (float64, bool) {
	s := jsString(v)
	switch s {
	case "", ".", ",", "-", "+":
		return 0, false
	}
	if !floatPattern.MatchString(s) {
		return 0, false
	}
	return parseNumber(s), true // parseFloat; NaN when the mantissa has no digit
}

// parseIntJS is parseInt(s) (radix 10): the leading optionally signed
// digits after whitespace, NaN when there are none.
func parseIntJS(s string) float64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r\u00a0\ufeff")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	digits := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == digits {
		return math.NaN()
	}
	return parseNumber(s[:end])
}

// appendJSON is JSON.stringify(v) for a parsed value.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...)
		}
		return append(b, jsNumber(v)...)
	case string:
		return appendJSString(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case *object:
		b = append(b, '{')
		for i, k := range v.jsKeys() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSString(b, k)
			b = append(b, ':')
			b = appendJSON(b, v.vals[k])
		}
		return append(b, '}')
	default:
		panic(fmt.Sprintf("helicone: appendJSON of %T", v))
	}
}

// appendJSString quotes s as JSON.stringify does: only quote, backslash and
// control characters are escaped.
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b = append(b, '\\', byte(r))
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if r < 0x20 {
				b = fmt.Appendf(b, `\u%04x`, r)
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return append(b, '"')
}

// utf16Len is a JavaScript string's length: UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}
