package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Helicone orders a request's messages by the position at which each index of
// gen_ai.prompt.N.* (and choices by gen_ai.completion.N.*) first appears, so the
// encoder writes those attributes last, grouped and in numeric order of N, after all
// the others in their own order.

// addedAttr is an attribute the exporter adds to a span for Helicone (see the GenAI
// mapping); it is written only where the span lacks the key.
type addedAttr struct {
	key     string
	str     string
	num     int64
	isNum   bool
	replace bool // written instead of the span's own value (only a normalised gen_ai.system)
}

// indexedAttr is a deferred gen_ai.prompt.N.* or gen_ai.completion.N.* attribute.
type indexedAttr struct {
	group, n, seq int
	key           string
	val           pcommon.Value // the span's own value, when added < 0
	added         int           // index into encoder.added, or -1
}

const (
	promptPrefix     = "gen_ai.prompt."
	completionPrefix = "gen_ai.completion."
)

// messageIndex reports whether key is gen_ai.prompt.N.* (group 0) or
// gen_ai.completion.N.* (group 1), and its N.
func messageIndex(key string) (group, n int, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(key, promptPrefix):
		rest = key[len(promptPrefix):]
	case strings.HasPrefix(key, completionPrefix):
		group, rest = 1, key[len(completionPrefix):]
	default:
		return 0, 0, false
	}
	dot := strings.IndexByte(rest, '.')
	if dot <= 0 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(rest[:dot])
	if err != nil || n < 0 {
		return 0, 0, false
	}
	return group, n, true
}

// appendSpanAttributes appends the items of a span's attributes array: the span's own
// attributes, then e.added where the span lacks the key, with message attributes last
// in numeric order.
func (e *encoder) appendSpanAttributes(b []byte, attrs pcommon.Map, added []addedAttr) []byte {
	e.ordered = e.ordered[:0]
	written := 0
	heliconeOnly, replacing := e.heliconeOnly(), replaces(added)
	for k, v := range attrs.All() {
		if (heliconeOnly && !heliconeReads(k)) || (replacing && replaced(k, added)) {
			continue
		}
		if g, n, ok := messageIndex(k); ok {
			e.ordered = append(e.ordered, indexedAttr{group: g, n: n, seq: len(e.ordered), key: k, val: v, added: -1})
			continue
		}
		b = e.appendKeyValue(comma(b, written), k, v, false)
		written++
	}
	for i, a := range added {
		if _, has := attrs.Get(a.key); has && !a.replace {
			continue
		}
		if g, n, ok := messageIndex(a.key); ok {
			e.ordered = append(e.ordered, indexedAttr{group: g, n: n, seq: len(e.ordered), key: a.key, added: i})
			continue
		}
		b = e.appendAddedAttr(comma(b, written), a)
		written++
	}
	slices.SortFunc(e.ordered, func(x, y indexedAttr) int {
		return cmp.Or(cmp.Compare(x.group, y.group), cmp.Compare(x.n, y.n), cmp.Compare(x.seq, y.seq))
	})
	for _, ia := range e.ordered {
		b = comma(b, written)
		written++
		if ia.added >= 0 {
			b = e.appendAddedAttr(b, added[ia.added])
		} else {
			b = e.appendKeyValue(b, ia.key, ia.val, false)
		}
	}
	return b
}

func (e *encoder) appendAddedAttr(b []byte, a addedAttr) []byte {
	b = append(b, `{"key":`...)
	b = e.appendString(b, a.key)
	switch {
	case a.isNum && isSafeInt(a.num):
		b = append(b, `,"value":{"intValue":`...)
		b = strconv.AppendInt(b, a.num, 10)
	case a.isNum: // e.g. a total computed from two counts near 2^53
		e.stats.repaired[repairBigInt]++
		b = append(b, `,"value":{"stringValue":"`...)
		b = append(strconv.AppendInt(b, a.num, 10), '"')
	default:
		b = append(b, `,"value":{"stringValue":`...)
		b = e.appendString(b, a.str)
	}
	return append(b, "}}"...)
}

func replaces(added []addedAttr) bool {
	for i := range added {
		if added[i].replace {
			return true
		}
	}
	return false
}

func replaced(key string, added []addedAttr) bool {
	for i := range added {
		if added[i].replace && added[i].key == key {
			return true
		}
	}
	return false
}

// comma appends the separator before the next item of an array that has written items.
func comma(b []byte, written int) []byte {
	if written > 0 {
		return append(b, ',')
	}
	return b
}
