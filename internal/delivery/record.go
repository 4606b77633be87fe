package delivery

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"time"
)

// record is what storage holds for a batch: when its first part was
// accepted, its span count, and either one bit per accepted span or, once
// every span is accepted, nothing but a flag.
type record struct {
	created  time.Time
	spans    int
	complete bool
	accepted bitmap // nil when complete
}

// The encoding: version, flags, created (Unix nanoseconds), span count,
// then the bitmap. 14 bytes plus one per 8 spans.
const (
	recordVersion = 1
	flagComplete  = 1
	headerSize    = 1 + 1 + 8 + 4
)

func (r record) marshal() []byte {
	b := make([]byte, headerSize, headerSize+len(r.accepted))
	b[0] = recordVersion
	if r.complete {
		b[1] = flagComplete
	}
	binary.BigEndian.PutUint64(b[2:10], uint64(r.created.UnixNano()))
	binary.BigEndian.PutUint32(b[10:14], uint32(r.spans))
	if !r.complete {
		b = append(b, r.accepted...)
	}
	return b
}

var errBadRecord = errors.New("not a delivery record of this version")

func unmarshalRecord(b []byte) (record, error) {
	if len(b) < headerSize || b[0] != recordVersion {
		return record{}, errBadRecord
	}
	r := record{
		complete: b[1]&flagComplete != 0,
		created:  time.Unix(0, int64(binary.BigEndian.Uint64(b[2:10]))),
		spans:    int(binary.BigEndian.Uint32(b[10:14])),
	}
	if !r.complete {
		if len(b) != headerSize+bitmapLen(r.spans) {
			return record{}, errBadRecord
		}
		r.accepted = bitmap(append([]byte(nil), b[headerSize:]...))
	}
	return r, nil
}

// bitmap holds one bit per span, by the span's position in the batch.
type bitmap []byte

func bitmapLen(n int) int { return (n + 7) / 8 }

func (m bitmap) has(i int) bool { return m[i/8]&(1<<(i%8)) != 0 }
func (m bitmap) set(i int)      { m[i/8] |= 1 << (i % 8) }

func (m bitmap) count() int {
	n := 0
	for _, b := range m {
		n += bits.OnesCount8(b)
	}
	return n
}
