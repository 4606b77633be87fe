package delivery

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// A record is what one storage write holds: the IDs of the spans of one
// request Helicone accepted. Its key carries when it was written (Unix
// nanoseconds, 16 hex digits, so keys sort by age), its value a version
// byte and the IDs: 1 + 16 bytes per span.
const (
	recordVersion = 2
	keyPrefix     = "delivery/"
)

// record is a record in memory: its key, when it was written, its IDs.
type record struct {
	key     string
	created time.Time
	ids     []ID
}

func recordKey(created time.Time) string {
	return fmt.Sprintf("%s%016x", keyPrefix, uint64(created.UnixNano()))
}

// parseKey is the time a record key says, or false for a key not a record's.
func parseKey(key string) (time.Time, bool) {
	if len(key) != len(keyPrefix)+16 || key[:len(keyPrefix)] != keyPrefix {
		return time.Time{}, false
	}
	n, err := strconv.ParseUint(key[len(keyPrefix):], 16, 64)
	return time.Unix(0, int64(n)), err == nil
}

func (r record) marshal() []byte {
	b := make([]byte, 1, 1+len(r.ids)*len(ID{}))
	b[0] = recordVersion
	for _, id := range r.ids {
		b = append(b, id[:]...)
	}
	return b
}

var errBadRecord = errors.New("not a delivery record of this version")

func unmarshalIDs(b []byte) ([]ID, error) {
	if len(b) == 0 || b[0] != recordVersion || (len(b)-1)%len(ID{}) != 0 {
		return nil, errBadRecord
	}
	ids := make([]ID, (len(b)-1)/len(ID{}))
	for i := range ids {
		copy(ids[i][:], b[1+i*len(ID{}):])
	}
	return ids, nil
}
