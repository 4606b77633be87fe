// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRuneSizeAgreesWithUTF8(t *testing.T) {
	tails := []byte{0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}
	for c0 := 0x80; c0 <= 0xFF; c0++ {
		for c1 := 0; c1 <= 0xFF; c1++ {
			for _, c2 := range tails {
				for _, c3 := range tails {
					for n := 1; n <= 4; n++ {
						// appendString passes the bytes past the end of s as zeros.
						var word [4]byte
						copy(word[:], []byte{byte(c0), byte(c1), c2, c3}[:n])
						s := string([]byte{byte(c0), byte(c1), c2, c3}[:n])
						r, size := utf8.DecodeRuneInString(s)
						want := size
						if r == utf8.RuneError && size == 1 {
							want = 0
						}
						if got := runeSize(binary.LittleEndian.Uint32(word[:])); got != want {
							t.Fatalf("runeSize(% x) = %d, utf8 says %d", s, got, want)
						}
					}
				}
			}
		}
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		"", "plain", "exactly8", "sixteen-bytes-ok", `quote " and \ backslash`,
		"control \x00\x01\x1f\x7f and \n\r\t", "Ünïcode — 注文はどこ 🚀 done",
		"tail\"", "\"head", "12345678\n", "1234567\n8",
		// Escapes and invalid bytes that outgrow the room made for s as it is.
		strings.Repeat("\x00\"", 40), strings.Repeat("\xff", 33), strings.Repeat("注", 20) + "\xe2\x82",
		densePrompt(0),
	}
	for _, in := range inputs {
		got := new(Encoder).appendString(nil, in)
		require.True(t, json.Valid(got), "%q", in)
		var back string
		require.NoError(t, json.Unmarshal(got, &back))
		assert.Equal(t, string([]rune(in)), back) // each invalid byte as U+FFFD
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("Ünïcode — \"quoted\"\n\x00\xff\xe2\x82")
	f.Fuzz(func(t *testing.T, in string) {
		got := new(Encoder).appendString(nil, in)
		if !json.Valid(got) {
			t.Fatalf("invalid JSON for %q: %s", in, got)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if back != string([]rune(in)) && utf8.ValidString(in) {
			t.Fatalf("valid UTF-8 %q came back as %q", in, back)
		}
	})
}

func TestSpecialMaskLowestFlagIsExact(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80 }
	// Every byte value at every position, in words whose other bytes cycle through
	// values near the edges of the tests.
	fill := []byte{0x00, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0x81, 0xa2, 0xdc, 0xff, 'a'}
	for c := 0; c < 256; c++ {
		for pos := range 8 {
			for f := range fill {
				var word [8]byte
				for j := range word {
					word[j] = fill[(f+j)%len(fill)]
				}
				word[pos] = byte(c)
				want := 8
				for j, b := range word {
					if special(b) {
						want = j
						break
					}
				}
				m := specialMask(binary.LittleEndian.Uint64(word[:]))
				got := 8
				if m != 0 {
					got = bits.TrailingZeros64(m) >> 3
				}
				if got != want {
					t.Fatalf("word % x: lowest flag at %d, first special at %d", word, got, want)
				}
			}
		}
	}
}
