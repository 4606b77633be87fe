// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody // import "github.com/otelcol-helicone/otelcol-helicone/internal/heliconebody"

import (
	"encoding/binary"
	"math/bits"
	"slices"
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
// x itself flags the non-ASCII bytes. Flipping bit 1 turns '"' (0x22) into 0x20 and
// keeps the controls below it, so (x ^ 0x02) - 0x21 wraps for both at once, one
// subtraction fewer than testing them apart (llm_dense_1000 spends a fifth of its
// time here); (x ^ '\\') - 1 wraps where a byte is '\\'. The subtractions also flag
// bytes >= 0x80 (already flagged) and, through a borrow, bytes above a flagged one;
// so the lowest flag is always exact, which is all the scan needs.
func specialMask(x uint64) uint64 {
	return (x | ((x ^ 0x02*ones) - 0x21*ones) | ((x ^ '\\'*ones) - ones)) & highs
}

// stringSlack is the room appendString keeps past the end of what it has written:
// its stores are eight bytes wide and may run over the end of what they hold.
const stringSlack = 16

// escapes[c] holds, for an ASCII byte that must be escaped, its escape in the low
// bytes and the escape's length in the top byte; stored whole, it needs no branch
// on which escape it is (llm_dense_1000 has one every dozen bytes).
var escapes = func() (t [utf8.RuneSelf]uint64) {
	for c := range utf8.RuneSelf {
		if !mustEscape[c] {
			continue
		}
		var esc []byte
		switch c {
		case '"', '\\':
			esc = []byte{'\\', byte(c)}
		case '\n':
			esc = []byte(`\n`)
		case '\r':
			esc = []byte(`\r`)
		case '\t':
			esc = []byte(`\t`)
		default:
			esc = []byte{'\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf]}
		}
		var w [8]byte
		copy(w[:], esc)
		w[7] = byte(len(esc))
		t[c] = binary.LittleEndian.Uint64(w[:])
	}
	return t
}()

// replacement is, as in escapes, the escape of U+FFFD, which stands for each byte
// of invalid UTF-8.
var replacement = binary.LittleEndian.Uint64([]byte("\\ufffd\x00\x06"))

// appendString appends s as a quoted JSON string in one pass: it copies s sixteen
// bytes at a time as it tests them, stops at a byte that must be escaped or starts a
// multi-byte rune, and handles the specials that follow each other (a CJK sentence,
// "\n\t") before testing whole words again. Scanning and copying in the same pass,
// rather than copying the runs between specials afterwards, spares a copy call per
// special (BenchmarkEncode llm_dense_1000). Invalid UTF-8 becomes U+FFFD per byte (as
// encoding/json does, and counted), so whatever a span carries the body stays JSON.
func (e *Encoder) appendString(b []byte, s string) []byte {
	if cap(b)-len(b) < len(s)+2+stringSlack {
		b = slices.Grow(b, len(s)+2+stringSlack)
	}
	out := b[:cap(b)]
	n := len(b)
	out[n] = '"'
	n++
	// unsafe: loads and stores through pointers, without bounds checks, that the
	// invariant below keeps inside s and out: cap(out)-n >= len(s)-i+1+stringSlack,
	// room for the rest of s as it is, the closing quote and the slack. An escape,
	// which writes more than it reads, makes room first. A first version on
	// bounds-checked slices (four checks per sixteen bytes) was slower than
	// scanning then copying on a realistic prompt (3319 against 3035 ns).
	src := unsafe.Pointer(unsafe.StringData(s))
	dst := unsafe.Pointer(unsafe.SliceData(out))
	// room is cap(out)-n-(len(s)-i): it stays as it is while bytes are copied as
	// they are, and an escape, which writes more than it reads, lowers it.
	room := cap(out) - n - len(s)
	for i := 0; i < len(s); {
		var k int // bytes copied as they are before the next special, from i
		// Sixteen bytes at a time, in a loop of its own that keeps only what it
		// needs in registers.
		for len(s)-i >= 16 {
			in, o := (*[16]byte)(unsafe.Add(src, i)), (*[16]byte)(unsafe.Add(dst, n))
			w0, w1 := binary.LittleEndian.Uint64(in[:8]), binary.LittleEndian.Uint64(in[8:])
			binary.LittleEndian.PutUint64(o[:8], w0)
			binary.LittleEndian.PutUint64(o[8:], w1)
			m0, m1 := specialMask(w0), specialMask(w1)
			if m0 != 0 {
				k = bits.TrailingZeros64(m0) >> 3
				goto special
			}
			if m1 != 0 {
				k = 8 + bits.TrailingZeros64(m1)>>3
				goto special
			}
			i, n = i+16, n+16
		}
		switch rest := len(s) - i; {
		case rest == 0:
			continue
		case rest >= 8:
			w := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(src, i))[:])
			binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dst, n))[:], w)
			m := specialMask(w)
			if m == 0 {
				i, n = i+8, n+8
				continue
			}
			k = bits.TrailingZeros64(m) >> 3
		case len(s) >= 8:
			// The last 1 to 7 bytes: load the string's last eight and shift the bytes
			// before i out. The zero bytes shifted in are flagged, but above the
			// bytes of s, which a borrow from them cannot reach.
			w := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(src, len(s)-8))[:]) >> (8 * (8 - rest))
			binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dst, n))[:], w)
			m := specialMask(w) & (1<<(8*rest) - 1)
			if m == 0 {
				i, n = len(s), n+rest
				continue
			}
			k = bits.TrailingZeros64(m) >> 3
		default: // a string shorter than eight bytes, byte by byte
			if c := s[i]; c < utf8.RuneSelf && !mustEscape[c] {
				*(*byte)(unsafe.Add(dst, n)) = c
				i, n = i+1, n+1
				continue
			}
		}
	special:
		i, n = i+k, n+k
		// s[i] is special: handle it and the specials right after it.
		for i < len(s) {
			c := *(*byte)(unsafe.Add(src, i))
			var esc uint64 // what to write for s[i]: its escape or U+FFFD's
			if c < utf8.RuneSelf {
				if esc = escapes[c]; esc == 0 {
					break
				}
			} else {
				// w holds s[i:i+4], zeros past the end of s (no rune's continuation).
				var w uint32
				switch rest := len(s) - i; {
				case rest >= 4:
					w = binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(src, i))[:])
				case len(s) >= 4:
					w = binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(src, len(s)-4))[:]) >> (8 * (4 - rest))
				default:
					for j := len(s) - 1; j >= i; j-- {
						w = w<<8 | uint32(*(*byte)(unsafe.Add(src, j)))
					}
				}
				// Runes whose continuation bytes may be any (C2-DF, E1-EC: Latin
				// accents, dashes, curly quotes, most CJK) are checked here, a run
				// of three-byte ones (CJK text) in one loop; runeSize checks the rest.
				if c-0xE1 < 0xEC-0xE1+1 && w&0xC0C000 == 0x808000 {
					for {
						binary.LittleEndian.PutUint32((*[4]byte)(unsafe.Add(dst, n))[:], w)
						i, n = i+3, n+3
						if len(s)-i < 4 {
							break
						}
						w = binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(src, i))[:])
						if byte(w)-0xE1 >= 0xEC-0xE1+1 || w&0xC0C000 != 0x808000 {
							break
						}
					}
					continue
				}
				size := 2
				if c-0xC2 >= 0xDF-0xC2+1 || w&0xC000 != 0x8000 {
					size = runeSize(w)
				}
				if size > 0 {
					binary.LittleEndian.PutUint32((*[4]byte)(unsafe.Add(dst, n))[:], w)
					i, n = i+size, n+size
					continue
				}
				esc = replacement
				e.repairs[repairInvalidUTF8]++
			}
			binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(dst, n))[:], esc)
			grown := int(esc>>56) - 1
			i, n, room = i+1, n+grown+1, room-grown
			if room <= stringSlack {
				out, dst, room = growString(out, n, len(s)-i)
			}
		}
	}
	out[n] = '"'
	return out[:n+1]
}

// growString makes room after out[:n] for the rest of a string (rest bytes, as
// they are), the closing quote, the slack and at least as much again for escapes,
// and returns the whole of the new out, its start and appendString's new room.
func growString(out []byte, n, rest int) ([]byte, unsafe.Pointer, int) {
	out = slices.Grow(out[:n], 2*(rest+1+stringSlack))
	out = out[:cap(out)]
	return out, unsafe.Pointer(unsafe.SliceData(out)), cap(out) - n - rest
}

// runeSize returns the length of the valid UTF-8 sequence at the start of w (the
// bytes from a non-ASCII one on, first in the low byte, zeros past the end of the
// string), or 0 if there is none. It follows utf8.DecodeRune's rules (no overlongs,
// no surrogates, nothing above U+10FFFF) on the word already loaded, in branches
// that text of one script predicts well: a table-driven version measured 10-18%
// slower.
func runeSize(w uint32) int {
	c, c1 := byte(w), uint32(w>>8)&0x3F
	switch {
	case c-0xC2 < 0xDF-0xC2+1:
		if w&0xC000 == 0x8000 {
			return 2
		}
	case c-0xE0 < 0xEF-0xE0+1:
		// The rune's top ten bits: at least 0x20 (not overlong), not a surrogate.
		if top := uint32(c&0xF)<<6 | c1; w&0xC0C000 == 0x808000 && top >= 0x20 && top-0x360 >= 0x20 {
			return 3
		}
	case c-0xF0 < 0xF4-0xF0+1:
		// The rune's top nine bits: from U+10000 to U+10FFFF.
		if top := uint32(c&7)<<6 | c1; w&0xC0C0C000 == 0x80808000 && top-0x10 < 0x100 {
			return 4
		}
	}
	return 0
}
