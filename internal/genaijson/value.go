package genaijson

import (
	"strings"
	"unicode/utf8"
)

// Kind is the type of a JSON value.
type Kind uint8

const (
	Missing Kind = iota // the zero Value: a key that is not there
	Null
	Bool
	Number
	String
	Array
	Object
)

// Value is one JSON value of a text Parse accepted: its bytes exactly,
// without surrounding whitespace. The zero Value is a missing one; every
// method accepts it.
type Value struct{ raw string }

// Raw is the value's JSON text.
func (v Value) Raw() string { return v.raw }

// Kind is the value's type.
func (v Value) Kind() Kind {
	if v.raw == "" {
		return Missing
	}
	switch v.raw[0] {
	case 'n':
		return Null
	case 't', 'f':
		return Bool
	case '"':
		return String
	case '[':
		return Array
	case '{':
		return Object
	}
	return Number
}

// Elements iterates over an array's elements; over nothing for any other value.
func (v Value) Elements() Elements {
	if v.Kind() != Array {
		return Elements{}
	}
	return Elements{s: v.raw, i: 1}
}

// Elements is an iterator over an array, from Value.Elements.
type Elements struct {
	s string
	i int
	x *Index // nil, or the Index to look ends up in
}

// Next returns the next element, or false after the last.
func (it *Elements) Next() (Value, bool) {
	i := skipSpace(it.s, it.i)
	if i >= len(it.s) || it.s[i] == ']' {
		it.i = len(it.s)
		return Value{}, false
	}
	end := it.x.end(it.s, i)
	it.i = afterComma(it.s, end)
	return Value{raw: it.s[i:end]}, true
}

// Members iterates over an object's members; over nothing for any other value.
func (v Value) Members() Members {
	if v.Kind() != Object {
		return Members{}
	}
	return Members{s: v.raw, i: 1}
}

// Members is an iterator over an object, from Value.Members.
type Members struct {
	s string
	i int
	x *Index // as in Elements
}

// Next returns the next member's key (a String) and value, or false after
// the last.
func (it *Members) Next() (key, value Value, ok bool) {
	i := skipSpace(it.s, it.i)
	if i >= len(it.s) || it.s[i] == '}' {
		it.i = len(it.s)
		return Value{}, Value{}, false
	}
	keyEnd := it.x.end(it.s, i)
	j := skipSpace(it.s, skipSpace(it.s, keyEnd)+1) // past ':'
	end := it.x.end(it.s, j)
	it.i = afterComma(it.s, end)
	return Value{raw: it.s[i:keyEnd]}, Value{raw: it.s[j:end]}, true
}

// Get is the value of an object's member key; when the key is there more
// than once, the last one, as encoding/json does.
func (v Value) Get(key string) Value {
	var found Value
	it := v.Members()
	for {
		k, val, ok := it.Next()
		if !ok {
			return found
		}
		if k.Equal(key) {
			found = val
		}
	}
}

// Equal reports whether v is a string whose text is s.
func (v Value) Equal(s string) bool {
	if plain, ok := v.Str(); ok {
		return plain == s
	}
	if v.Kind() != String {
		return false
	}
	var buf [64]byte
	return len(v.raw) <= 6*len(s)+2 && string(appendUnquoted(buf[:0], v.raw[1:len(v.raw)-1])) == s
}

// Str is the text of a string that needs no unescaping (no escape, valid
// UTF-8), as a substring of the parsed text; false for any other value.
func (v Value) Str() (string, bool) {
	if v.Kind() != String {
		return "", false
	}
	inner := v.raw[1 : len(v.raw)-1]
	if strings.IndexByte(inner, '\\') >= 0 || !utf8.ValidString(inner) {
		return "", false
	}
	return inner, true
}

// Unquote is the text of a string ("" for any other value): a substring of
// the parsed text when it needs no unescaping, else unescaped into *buf,
// which it grows and reuses. The result then aliases *buf: clone it to keep
// it past buf's next use.
func (v Value) Unquote(buf *[]byte) string {
	if s, ok := v.Str(); ok || v.Kind() != String {
		return s
	}
	*buf = appendUnquoted((*buf)[:0], v.raw[1:len(v.raw)-1])
	return unsafeString(*buf)
}

// AppendText appends what a reader of the value wants to see: a string's
// text unescaped (invalid UTF-8 as U+FFFD, as encoding/json decodes it),
// nothing for null or a missing value, any other value as compact JSON.
func (v Value) AppendText(dst []byte) []byte {
	switch v.Kind() {
	case Missing, Null:
		return dst
	case String:
		if s, ok := v.Str(); ok {
			return append(dst, s...)
		}
		return appendUnquoted(dst, v.raw[1:len(v.raw)-1])
	case Array, Object:
		return appendCompact(dst, v.raw)
	}
	return append(dst, v.raw...)
}

// appendCompact appends valid JSON without the whitespace between tokens.
func appendCompact(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r':
			i++
		case '"':
			end := stringEnd(s, i)
			dst = append(dst, s[i:end]...)
			i = end
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

// valueEnd returns the index after the valid value that starts at i.
func valueEnd(s string, i int) int {
	switch s[i] {
	case '"':
		return stringEnd(s, i)
	case '{', '[':
		depth := 0
		for ; i < len(s); i++ {
			switch s[i] {
			case '"':
				i = stringEnd(s, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(s) && !isDelimiter(s[i]) {
		i++
	}
	return i
}

func isDelimiter(c byte) bool {
	return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// stringEnd returns the index after the closing quote of the valid string
// whose opening quote is at i.
func stringEnd(s string, i int) int {
	// Keys and enum values are short: a plain loop beats a call to IndexByte.
	for end := min(i+16, len(s)); i+1 < end; {
		i++
		switch s[i] {
		case '"':
			return i + 1
		case '\\':
			i++ // the escaped byte
		}
	}
	for i++; ; {
		q := strings.IndexByte(s[i:], '"')
		if q < 0 {
			return len(s)
		}
		i += q
		// The quote is escaped if an odd number of backslashes precede it.
		n := 0
		for n < i && s[i-n-1] == '\\' {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// afterComma returns the index past the ',' that follows a value ending at
// i, or of the container's end.
func afterComma(s string, i int) int {
	i = skipSpace(s, i)
	if i < len(s) && s[i] == ',' {
		i++
	}
	return i
}
