// Package genaijson reads the JSON that LLM instrumentations put in string
// attributes (the GenAI conventions' gen_ai.input.messages,
// gen_ai.output.messages and gen_ai.system_instructions, and the OpenAI-style
// messages of older events) without encoding/json: no reflection, and no
// allocation once the caller's buffer has grown.
//
// Parse checks the whole text once, as encoding/json would, so that a caller
// can refuse malformed input before it has used any of it. The Values it
// hands out are substrings of that text, walked lazily; since the text is
// known to be valid, walking them cannot fail. Strings are unescaped only
// when they hold escapes or invalid UTF-8, into a buffer the caller reuses.
package genaijson

import (
	"strconv"
)

// maxDepth is encoding/json's nesting limit, so that both accept the same texts.
const maxDepth = 10000

// SyntaxError is JSON that encoding/json would refuse too.
type SyntaxError struct {
	Offset int // byte offset in the text
	msg    string
}

func (e *SyntaxError) Error() string {
	return "genaijson: offset " + strconv.Itoa(e.Offset) + ": " + e.msg
}

func syntaxError(s string, i int, want string) error {
	if i >= len(s) {
		return &SyntaxError{Offset: len(s), msg: "unexpected end of JSON, want " + want}
	}
	found := "character " + strconv.QuoteRune(rune(s[i]))
	if s[i] >= 0x80 {
		found = "byte 0x" + strconv.FormatUint(uint64(s[i]), 16)
	}
	return &SyntaxError{Offset: i, msg: "invalid " + found + ", want " + want}
}

// Parse checks that s is one JSON value, optionally surrounded by
// whitespace, and returns it.
func Parse(s string) (Value, error) { return parse(s, nil) }

// parse is Parse, noting in x (when not nil) where each string and container ends.
func parse(s string, x *Index) (Value, error) {
	var open [maxDepth/64 + 1]uint64 // bit d set: the container at depth d is an object
	depth := 0
	i := skipSpace(s, 0)
	start := i
	for {
		// A value starts at i.
		if i >= len(s) {
			return Value{}, syntaxError(s, i, "a value")
		}
		switch c := s[i]; c {
		case '{', '[':
			if depth == maxDepth {
				return Value{}, &SyntaxError{Offset: i, msg: "exceeded max depth " + strconv.Itoa(maxDepth)}
			}
			isObject := c == '{'
			if isObject {
				open[depth/64] |= 1 << (depth % 64)
			} else {
				open[depth/64] &^= 1 << (depth % 64)
			}
			depth++
			at := i
			i = skipSpace(s, i+1)
			if i < len(s) && (s[i] == '}' && isObject || s[i] == ']' && !isObject) {
				depth--
				i++
				x.note(at, i, 0)
				break
			}
			x.push(at)
			if isObject {
				var err error
				if i, err = memberKey(s, i, x); err != nil {
					return Value{}, err
				}
			}
			continue
		case '"':
			end, flags, err := checkString(s, i)
			if err != nil {
				return Value{}, err
			}
			x.note(i, end, flags)
			i = end
		case 't':
			if i = literal(s, i, "true"); i < 0 {
				return Value{}, syntaxError(s, -i-1, "true")
			}
		case 'f':
			if i = literal(s, i, "false"); i < 0 {
				return Value{}, syntaxError(s, -i-1, "false")
			}
		case 'n':
			if i = literal(s, i, "null"); i < 0 {
				return Value{}, syntaxError(s, -i-1, "null")
			}
		default:
			end, ok := number(s, i)
			if !ok {
				return Value{}, syntaxError(s, end, "a value")
			}
			i = end
		}
		// A value ended at i: close containers until one goes on.
		for {
			if depth == 0 {
				end := i
				if i = skipSpace(s, i); i != len(s) {
					return Value{}, syntaxError(s, i, "the end after the top-level value")
				}
				return Value{raw: s[start:end]}, nil
			}
			isObject := open[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			i = skipSpace(s, i)
			if i >= len(s) {
				return Value{}, syntaxError(s, i, "',' or the container's end")
			}
			if s[i] == ',' {
				i = skipSpace(s, i+1)
				if isObject {
					var err error
					if i, err = memberKey(s, i, x); err != nil {
						return Value{}, err
					}
				}
				break
			}
			if s[i] == '}' && isObject || s[i] == ']' && !isObject {
				depth--
				i++
				x.note(x.pop(), i, 0)
				continue
			}
			return Value{}, syntaxError(s, i, "',' or the container's end")
		}
	}
}

// memberKey checks `"key" :` at i and returns where the member's value starts.
func memberKey(s string, i int, x *Index) (int, error) {
	if i >= len(s) || s[i] != '"' {
		return 0, syntaxError(s, i, "a string key")
	}
	end, flags, err := checkString(s, i)
	if err != nil {
		return 0, err
	}
	x.note(i, end, flags)
	if end = skipSpace(s, end); end >= len(s) || s[end] != ':' {
		return 0, syntaxError(s, end, "':' after the key")
	}
	return skipSpace(s, end+1), nil
}

// checkString checks the string whose quote is at i and returns the index
// after its closing quote, and whether it has escapes or bytes beyond ASCII.
func checkString(s string, i int) (int, uint64, error) {
	var flags uint64
	i++
	for {
		var high bool
		i, high = plainRun(s, i)
		if high {
			flags |= nonASCII
		}
		if i >= len(s) {
			return 0, 0, syntaxError(s, i, "'\"' closing the string")
		}
		switch c := s[i]; {
		case c == '"':
			return i + 1, flags, nil
		case c == '\\':
			flags |= escaped
			if i+1 >= len(s) {
				return 0, 0, syntaxError(s, i+1, "an escape")
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < i+6; k++ {
					if k >= len(s) || !isHex(s[k]) {
						return 0, 0, syntaxError(s, k, "a hexadecimal digit in \\u")
					}
				}
				i += 6
			default:
				return 0, 0, syntaxError(s, i+1, "an escape")
			}
		default: // a control character
			return 0, 0, syntaxError(s, i, "no control character in a string")
		}
	}
}

// plainRun returns the index of the first '"', '\\' or control character at
// or after i, or len(s): eight bytes at a time while none is in sight; and
// whether a byte it passed is beyond ASCII.
func plainRun(s string, i int) (int, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var seen uint64 // the bytes passed, or'd
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8] // of a constant length: one bounds check, not eight
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		// A byte is zero in quote or backslash, or below 0x20 in w: exact
		// as a whole, not per byte, so the byte loop below finds which.
		if ((quote-ones)&^quote|(backslash-ones)&^backslash|(w-ones*0x20))&^w&highs != 0 {
			break
		}
		seen |= w
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		seen |= uint64(c)
	}
	return i, seen&highs != 0
}

// literal checks the literal word at i and returns the index after it, or
// -(the offending index)-1.
func literal(s string, i int, word string) int {
	for k := 0; k < len(word); k++ {
		if i+k >= len(s) || s[i+k] != word[k] {
			return -(i + k) - 1
		}
	}
	return i + len(word)
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at i; on
// failure it returns the offending index.
func number(s string, i int) (int, bool) {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		if i++; i >= len(s) || !isDigit(s[i]) {
			return i, false
		}
		i = digits(s, i)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		if i++; i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return i, false
		}
		i = digits(s, i)
	}
	return i, true
}

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// skipSpace returns the index of the first byte at or after i that is not JSON
// whitespace. Compact JSON has none between tokens: the first byte is past ' ',
// a test small enough to inline.
func skipSpace(s string, i int) int {
	if i < len(s) && s[i] > ' ' {
		return i
	}
	return skipSpaces(s, i)
}

func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
