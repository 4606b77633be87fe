package logjoin

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// overhead approximates the fixed memory of a value, a record or a span
// beyond its strings and bytes.
const (
	valueOverhead  = 24
	recordOverhead = 160
	spanOverhead   = 256
)

// valueSize approximates the memory of a value: its strings and bytes, plus
// a fixed cost per value.
func valueSize(v pcommon.Value) int {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return valueOverhead + len(v.Str())
	case pcommon.ValueTypeBytes:
		return valueOverhead + v.Bytes().Len()
	case pcommon.ValueTypeMap:
		return valueOverhead + mapSize(v.Map())
	case pcommon.ValueTypeSlice:
		n := valueOverhead
		for _, e := range v.Slice().All() {
			n += valueSize(e)
		}
		return n
	default:
		return valueOverhead
	}
}

func mapSize(m pcommon.Map) int {
	n := 0
	for k, v := range m.All() {
		n += len(k) + valueSize(v)
	}
	return n
}

func recordSize(rec plog.LogRecord) int {
	return recordOverhead + valueSize(rec.Body()) + mapSize(rec.Attributes())
}

// heldSpanSize counts the span and the resource and scope it is held with.
func heldSpanSize(span ptrace.Span, res pcommon.Resource, scope pcommon.InstrumentationScope) int {
	n := spanOverhead + len(span.Name()) + mapSize(span.Attributes()) + mapSize(res.Attributes()) +
		len(scope.Name()) + len(scope.Version()) + mapSize(scope.Attributes())
	for _, ev := range span.Events().All() {
		n += valueOverhead + len(ev.Name()) + mapSize(ev.Attributes())
	}
	for _, l := range span.Links().All() {
		n += valueOverhead + mapSize(l.Attributes())
	}
	return n
}
