package delivery

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Fingerprint identifies a batch by its content: 128 bits of SHA-256 over
// the span count and each span's trace id, span id and start time, in
// order. Those survive the persistent queue's marshal and unmarshal
// unchanged, and two different batches share them only by accident, at
// odds of 2^-128 per pair.
type Fingerprint [16]byte

// FingerprintOf hashes td's spans in order: resources, scopes, spans.
func FingerprintOf(td ptrace.Traces) Fingerprint {
	h := sha256.New()
	var buf [32]byte
	binary.BigEndian.PutUint64(buf[:8], uint64(td.SpanCount()))
	h.Write(buf[:8])
	rss := td.ResourceSpans()
	for i := range rss.Len() {
		sss := rss.At(i).ScopeSpans()
		for j := range sss.Len() {
			spans := sss.At(j).Spans()
			for k := range spans.Len() {
				s := spans.At(k)
				tid, sid := s.TraceID(), s.SpanID()
				copy(buf[:16], tid[:])
				copy(buf[16:24], sid[:])
				binary.BigEndian.PutUint64(buf[24:], uint64(s.StartTimestamp()))
				h.Write(buf[:])
			}
		}
	}
	var fp Fingerprint
	copy(fp[:], h.Sum(nil))
	return fp
}

func (fp Fingerprint) String() string { return hex.EncodeToString(fp[:]) }

// keyPrefix sets the records apart should the client be shared.
const keyPrefix = "delivery/"

func (fp Fingerprint) key() string { return keyPrefix + fp.String() }

func parseKey(key string) (Fingerprint, bool) {
	var fp Fingerprint
	if len(key) != len(keyPrefix)+2*len(fp) || key[:len(keyPrefix)] != keyPrefix {
		return fp, false
	}
	_, err := hex.Decode(fp[:], []byte(key[len(keyPrefix):]))
	return fp, err == nil
}
