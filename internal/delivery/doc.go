// Package delivery makes delivery progress durable: which spans Helicone
// has accepted, kept in the same storage extension as the persistent queue,
// so that spans the queue hands out again after a restart are not sent to
// Helicone a second time.
//
// Why: exporterhelper's persistent queue keeps a queued item until every
// request made of it succeeds and has no notion of partial delivery. A batch
// larger than one Helicone request is split; when a later part fails and the
// process restarts, the queue replays the whole item, and Helicone, which
// gives every span a fresh id, logs the parts it already had a second time.
//
// How: a span is known by its own identity, an ID made of its trace id,
// span id and start time, never by its position in a batch: the queue's
// batching (sending_queue.batch) regroups queued items as it sends them, so
// after a restart a span meets other neighbours. After each 2xx, Accept
// writes one record listing the IDs of that request's spans (1 + 16 bytes
// per span, one storage write per accepted request). Open loads every
// record into an in-memory set; before each request the exporter skips the
// spans the set holds. Claim and Release also keep two pushes of one process
// from sending the same span at once: after a crash the persistent queue can
// hand out an item and a copy of it together.
//
// Expiry: records older than Config.TTL, and beyond Config.MaxSpans the
// oldest records, are deleted with the next write and on Open. Expiry can
// only cause duplicates, never loss: a span whose record expired while it
// was still queued is sent again. A record only ever skips spans Helicone
// accepted.
//
// The window that remains: a request in flight when the process dies. From
// the moment a request is written to the connection until Accept's write
// has committed its record, a kill leaves no trace of Helicone's answer;
// Helicone may have logged all of the request's spans or, since it logs
// span by span, a prefix of them. After the restart those spans are sent
// again, so at most the spans of the requests in flight at the kill (one
// per queue consumer, each at most max_request_size) are duplicated.
// Nothing closes this window from the client side: Helicone has no
// idempotency key, and its logs carry fresh random ids, so the exporter
// cannot ask what it already has.
package delivery
