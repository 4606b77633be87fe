package delivery

import (
	"encoding/binary"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// ID identifies a span by its own identity, its trace id, span id and start
// time (16+8+8 bytes), folded to 16 bytes. Unlike a position in a batch it
// survives the persistent queue's marshal and unmarshal and the queue's
// batching, which regroups queued items differently after a restart. Two
// spans share an ID only if they share a span id and their trace ids and
// start times collide in 64 bits; Helicone itself keys nothing on them.
type ID [16]byte

// IDOf is span's ID: its span id, then its trace id's halves and start time
// XORed. The span id alone is random per span in every SDK; the rest keeps
// spans of different traces apart should an SDK reuse span ids.
func IDOf(span ptrace.Span) ID {
	var id ID
	sid, tid := span.SpanID(), span.TraceID()
	copy(id[:8], sid[:])
	mix := binary.BigEndian.Uint64(tid[:8]) ^ binary.BigEndian.Uint64(tid[8:])*0x9e3779b97f4a7c15 ^ uint64(span.StartTimestamp())
	binary.BigEndian.PutUint64(id[8:], mix)
	return id
}
