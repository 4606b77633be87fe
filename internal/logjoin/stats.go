package logjoin

// Reason says why a record was dropped or ignored, or how a waiting span left.
type Reason string

// Why a GenAI content record was dropped without meeting its span.
const (
	DropExpired    Reason = "expired"     // its span did not arrive within MaxWait
	DropOverBudget Reason = "over_budget" // the oldest held item when memory ran out
	DropNoSpan     Reason = "no_span"     // it has no trace and span id to join on
	DropShutdown   Reason = "shutdown"    // still unmatched when Flush ran
)

// Why a record was not held at all.
const (
	IgnoreNotContent Reason = "not_genai_content" // not one of the GenAI content events
)

// How a span that waited left the Joiner. Spans are never dropped.
const (
	ReleaseComplete   Reason = "complete"    // its last record (response or details) arrived
	ReleaseExpired    Reason = "expired"     // MaxWait passed
	ReleaseOverBudget Reason = "over_budget" // the oldest held item when memory ran out
	ReleaseFlushed    Reason = "flushed"     // Flush ran
)

// Stats are a Joiner's counts since it was made, and what it holds now.
type Stats struct {
	// Joined is how many records reached a span.
	Joined int64
	// Dropped counts GenAI content records that never met their span.
	Dropped map[Reason]int64
	// Ignored counts records that are not GenAI content events.
	Ignored map[Reason]int64
	// Released counts spans that waited, by how they left.
	Released map[Reason]int64
	// Held is what is held now: spans, records (waiting or attached) and bytes.
	HeldSpans, HeldRecords, HeldBytes int
}

func newStats() Stats {
	return Stats{Dropped: map[Reason]int64{}, Ignored: map[Reason]int64{}, Released: map[Reason]int64{}}
}

func (s Stats) clone() Stats {
	c := s
	c.Dropped, c.Ignored, c.Released = clone(s.Dropped), clone(s.Ignored), clone(s.Released)
	return c
}

func clone(m map[Reason]int64) map[Reason]int64 {
	c := make(map[Reason]int64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
