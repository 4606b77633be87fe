// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// mustEscape[c] is true for the ASCII bytes a JSON string cannot hold as they are.
var mustEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

const hexDigits = "0123456789abcdef"

// Masks for testing eight bytes at once: every byte set to 0x01, 0x80.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// specialMask flags, in the high bit of each byte, the bytes of x that the scan must
// stop at: control characters, '"', '\\', and non-ASCII bytes (to check their UTF-8).
// x itself flags the non-ASCII bytes; x - 0x20 wraps for the controls; (x ^ c) - 1
// wraps where a byte equals c. Those subtractions also flag bytes >= 0x80 (already
// flagged) and, through a borrow, bytes above a flagged one; so the lowest flag is
// always exact, which is all the scan needs.
func specialMask(x uint64) uint64 {
	return (x | (x - 0x20*ones) | ((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones)) & highs
}

// appendString appends s as a quoted JSON string in one pass: eight bytes at a time,
// jumping to the next byte that must be escaped or starts a multi-byte rune, and
// copying the runs between them at once. Invalid UTF-8 becomes U+FFFD per byte (as
// encoding/json does, and counted), so whatever a span carries the body stays JSON.
func (e *Encoder) appendString(b []byte, s string) []byte {
	b = append(b, '"')
	// unsafe: eight-byte loads from the string itself; loading bytes one by one and
	// shifting measured slower in the same run (BenchmarkEncode).
	raw := unsafe.Slice(unsafe.StringData(s), len(s))
	start := 0
	for i := 0; i < len(s); {
		if i+16 <= len(s) {
			m0 := specialMask(binary.LittleEndian.Uint64(raw[i:]))
			m1 := specialMask(binary.LittleEndian.Uint64(raw[i+8:]))
			if m0|m1 == 0 {
				i += 16
				continue
			}
			if m0 == 0 {
				i += 8 + bits.TrailingZeros64(m1)>>3
			} else {
				i += bits.TrailingZeros64(m0) >> 3
			}
		} else if i+8 <= len(s) {
			if m := specialMask(binary.LittleEndian.Uint64(raw[i:])); m == 0 {
				i += 8
				continue
			} else {
				i += bits.TrailingZeros64(m) >> 3
			}
		} else if len(s) >= 8 {
			// The last 1 to 7 bytes: load the string's last eight and drop the bytes
			// before i. A byte before i may flag one after it (a borrow), which only
			// sends that byte to the checks below.
			m := specialMask(binary.LittleEndian.Uint64(raw[len(s)-8:])) >> (8 * (8 - (len(s) - i)))
			if m == 0 {
				break
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			if size := runeLen(s, i); size > 0 {
				i += size
				continue
			}
			b = append(append(b, s[start:i]...), `\ufffd`...)
			e.repairs[repairInvalidUTF8]++
		case mustEscape[c]:
			b = appendEscaped(append(b, s[start:i]...), c)
		default:
			i++
			continue
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscaped appends the JSON escape of an ASCII byte that must be escaped.
func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// runeLen returns the length of the valid UTF-8 sequence that starts with the
// non-ASCII byte s[i], or 0 if there is none. It follows utf8.DecodeRune's rules
// (no overlongs, no surrogates, nothing above U+10FFFF) but stays inlinable.
func runeLen(s string, i int) int {
	c := s[i]
	switch {
	case c < 0xC2:
		return 0
	case c < 0xE0:
		if i+1 < len(s) && isContinuation(s[i+1], 0x80, 0xBF) {
			return 2
		}
	case c < 0xF0:
		lo, hi := byte(0x80), byte(0xBF)
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F
		}
		if i+2 < len(s) && isContinuation(s[i+1], lo, hi) && isContinuation(s[i+2], 0x80, 0xBF) {
			return 3
		}
	case c < 0xF5:
		lo, hi := byte(0x80), byte(0xBF)
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
		if i+3 < len(s) && isContinuation(s[i+1], lo, hi) && isContinuation(s[i+2], 0x80, 0xBF) && isContinuation(s[i+3], 0x80, 0xBF) {
			return 4
		}
	}
	return 0
}

func isContinuation(c, lo, hi byte) bool { return c >= lo && c <= hi }
