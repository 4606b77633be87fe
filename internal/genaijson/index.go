package genaijson

import (
	"unicode/utf8"
	"unsafe"
)

// Index notes, as Parse checks a text, where each of its strings, arrays and
// objects ends, and whether a string needs unescaping. Iterating with it, a
// member's end is looked up instead of scanned for: without it, a value
// nested n deep is scanned n more times, once by the iterator of each
// container around it, and a string's text once more by Str.
//
// An Index is reused from text to text: the Values of its last Parse are
// iterated through it; any other Value is iterated as without it. The zero
// Index is ready; a nil *Index iterates as without one.
type Index struct {
	text  string
	gen   uint32   // this text's generation: older entries are stale
	ends  []uint64 // by offset in text: gen<<32 | flags | the end of the value there
	stack []int    // the offsets of the open containers
}

// maxIndexed bounds the text an Index notes (eight bytes per byte of text);
// a longer one is parsed and iterated without it.
const maxIndexed = 1 << 18

// The flags of a string, and the end of a value in an entry.
const (
	escaped  = 1 << 30
	nonASCII = 1 << 31
	endMask  = 1<<30 - 1
)

// Parse is the package's Parse, noting the text's structure in x.
func (x *Index) Parse(s string) (Value, error) {
	x.text = ""
	if len(s) > maxIndexed {
		return parse(s, nil)
	}
	if x.gen++; x.gen == 0 { // wrapped: entries of generation 1 could be stale
		clear(x.ends)
		x.gen = 1
	}
	if cap(x.ends) < len(s) {
		x.ends = make([]uint64, len(s))
	}
	x.ends, x.stack = x.ends[:len(s)], x.stack[:0]
	x.text = s
	v, err := parse(s, x)
	if err != nil {
		x.text = ""
	}
	return v, err
}

func (x *Index) push(at int) {
	if x != nil {
		x.stack = append(x.stack, at)
	}
}

func (x *Index) pop() int {
	if x == nil {
		return -1
	}
	at := x.stack[len(x.stack)-1]
	x.stack = x.stack[:len(x.stack)-1]
	return at
}

// note records that the value at offset at ends at end.
func (x *Index) note(at, end int, flags uint64) {
	if x != nil {
		x.ends[at] = uint64(x.gen)<<32 | flags | uint64(end)
	}
}

// offset is where v starts in the indexed text; false when v is not of it.
func (x *Index) offset(v Value) (int, bool) {
	if x == nil || x.text == "" || v.raw == "" {
		return 0, false
	}
	off := uintptr(unsafe.Pointer(unsafe.StringData(v.raw))) - uintptr(unsafe.Pointer(unsafe.StringData(x.text)))
	if len(v.raw) > len(x.text) || off > uintptr(len(x.text)-len(v.raw)) {
		return 0, false
	}
	return int(off), true
}

// entry is the entry of the value at offset at of the text; false when none
// was noted there.
func (x *Index) entry(at int) (uint64, bool) {
	e := x.ends[at]
	return e, uint32(e>>32) == x.gen
}

// end returns the index after the value at i of s: noted, when s is of the
// indexed text (checked each time: x may have parsed another text since the
// iterator began), else scanned for.
func (x *Index) end(s string, i int) int {
	if base, ok := x.offset(Value{raw: s}); ok {
		if e, ok := x.entry(base + i); ok {
			if end := int(e&endMask) - base; end > i && end <= len(s) {
				return end
			}
		}
	}
	return valueEnd(s, i)
}

// Elements is v.Elements, iterating through x.
func (x *Index) Elements(v Value) Elements {
	it := v.Elements()
	it.x = x
	return it
}

// Members is v.Members, iterating through x.
func (x *Index) Members(v Value) Members {
	it := v.Members()
	it.x = x
	return it
}

// Str is v.Str, knowing from x whether the string needs unescaping.
func (x *Index) Str(v Value) (string, bool) {
	if v.Kind() != String {
		return "", false
	}
	off, ok := x.offset(v)
	if !ok {
		return v.Str()
	}
	e, ok := x.entry(off)
	if !ok || int(e&endMask) != off+len(v.raw) {
		return v.Str()
	}
	inner := v.raw[1 : len(v.raw)-1]
	if e&escaped != 0 || e&nonASCII != 0 && !utf8.ValidString(inner) {
		return "", false
	}
	return inner, true
}
