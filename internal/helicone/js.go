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

// parseJSON is JSON.parse. Numbers become float64, past the range ±Inf;
// objects keep their key order. A hand-written scanner: the decoder's
// Token API, which also keeps order, was the model's bottleneck.
func parseJSON(data []byte) (any, error) {
	p := &jsonParser{b: data}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.i < len(p.b) {
		return nil, p.fail("unexpected data after the top-level value")
	}
	return v, nil
}

type jsonParser struct {
	b []byte
	i int
}

var literals = [...]struct {
	text  string
	value any
}{{"true", true}, {"false", false}, {"null", nil}}

// maxDepth bounds nesting as V8's stack would, without risking Go's.
const maxDepth = 10000

func (p *jsonParser) fail(msg string) error {
	return fmt.Errorf("%s at position %d", msg, p.i)
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.fail("too deeply nested")
	}
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, p.fail("unexpected end of JSON input")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, lit := range literals {
		if bytes.HasPrefix(p.b[p.i:], []byte(lit.text)) {
			p.i += len(lit.text)
			return lit.value, nil
		}
	}
	return nil, p.fail(fmt.Sprintf("unexpected token %q", p.b[p.i]))
}

func (p *jsonParser) object(depth int) (any, error) {
	p.i++ // {
	o := &object{vals: map[string]any{}}
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return o, nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, p.fail("expected property name")
		}
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		if p.skipSpace(); p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.fail("expected ':' after property name")
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		o.set(key.(string), v)
		if done, err := p.next('}'); done || err != nil {
			return o, err
		}
	}
}

func (p *jsonParser) array(depth int) (any, error) {
	p.i++ // [
	arr := []any{}
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return arr, nil
	}
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		if done, err := p.next(']'); done || err != nil {
			return arr, err
		}
	}
}

// next consumes a ',' (false) or the closing byte (true).
func (p *jsonParser) next(closing byte) (bool, error) {
	p.skipSpace()
	if p.i < len(p.b) {
		switch p.b[p.i] {
		case ',':
			p.i++
			return false, nil
		case closing:
			p.i++
			return true, nil
		}
	}
	return false, p.fail("expected ',' or '" + string(closing) + "'")
}

// string reads a JSON string; plain ones are sliced, those with escapes or
// invalid UTF-8 go through encoding/json, which decodes both as
// JSON.parse after a UTF-8 decoder would.
func (p *jsonParser) string() (any, error) {
	start := p.i
	p.i++
	plain := true
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			if plain && utf8.Valid(p.b[start+1:p.i-1]) {
				return string(p.b[start+1 : p.i-1]), nil
			}
			var s string
			if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
				return nil, p.fail("bad string: " + err.Error())
			}
			return s, nil
		case c == '\\':
			plain = false
			p.i += 2
		case c < 0x20:
			return nil, p.fail("bad control character in string literal")
		default:
			p.i++
		}
	}
	return nil, p.fail("unterminated string")
}

// number reads a number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() (any, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.b[p.i] == '-' {
		p.i++
	}
	intStart := p.i
	if n := digits(); n == 0 || (n > 1 && p.b[intStart] == '0') {
		return nil, p.fail("bad number")
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.fail("bad number")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.fail("bad number")
		}
	}
	return parseNumber(string(p.b[start:p.i])), nil
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
