// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

// keyTable finds what the mapping reads of an attribute key: its slot and the
// configured property it feeds. Map looks up every attribute of every span; a Go
// map hashes the whole key, this table hashes its length and two of its bytes, and
// most keys are found, or missed, at the first probe.
type keyTable struct {
	entries []keyEntry // open addressing, linear probing; a power of two long
	// hasMessageKeys: a key is gen_ai.prompt.* or gen_ai.completion.* (only a
	// property's attribute may be); else such keys need no look-up.
	hasMessageKeys bool
}

type keyEntry struct {
	key  string // "" marks an empty entry
	slot slot   // -1: none
	prop int    // index in Mapper.fromAttrs; -1: none
}

// newKeyTable indexes the slots' keys and the property attributes.
func newKeyTable(slots [][]string, props []propertyFrom) *keyTable {
	n := 16
	for n < 4*(len(slots)*2+len(props)) {
		n *= 2
	}
	t := &keyTable{entries: make([]keyEntry, n)}
	for s, keys := range slots {
		for _, k := range keys {
			t.entry(k).slot = slot(s)
		}
	}
	for i, p := range props {
		if e := t.entry(p.attr); e.prop < 0 {
			e.prop = i
		}
	}
	for _, e := range t.entries {
		_, _, isMessage := cutMessagePrefix(e.key)
		t.hasMessageKeys = t.hasMessageKeys || isMessage
	}
	return t
}

// entry returns k's entry, adding it when missing; the table must have room.
func (t *keyTable) entry(k string) *keyEntry {
	mask := len(t.entries) - 1
	for i := keyHash(k) & mask; ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.key == k && k != "" {
			return e
		}
		if e.key == "" {
			*e = keyEntry{key: k, slot: -1, prop: -1}
			return e
		}
	}
}

// find returns k's entry, or nil.
func (t *keyTable) find(k string) *keyEntry {
	if k == "" {
		return nil
	}
	mask := len(t.entries) - 1
	for i := keyHash(k) & mask; ; i = (i + 1) & mask {
		e := &t.entries[i]
		if e.key == k {
			return e
		}
		if e.key == "" {
			return nil
		}
	}
}

// keyHash mixes the length and the last and middle bytes of a non-empty key:
// the registered keys share long prefixes but differ there.
func keyHash(k string) int {
	h := uint32(len(k))*0x9e3779b1 ^ uint32(k[len(k)-1])*0x85ebca77 ^ uint32(k[len(k)/2])*0xc2b2ae3d
	return int(h ^ h>>16)
}
