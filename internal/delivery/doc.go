// Package delivery makes the progress of a queued batch durable: which of
// its spans Helicone has already accepted, kept in the same storage
// extension as the persistent queue, so that a batch the queue hands out
// again after a restart sends only the spans Helicone does not have.
//
// Why: exporterhelper's persistent queue keeps a batch until the whole
// request succeeds and has no notion of partial delivery. A batch larger
// than one Helicone request is split; when a later part fails and the
// process restarts, the queue replays the whole batch, and Helicone, which
// gives every span a fresh id, logs the parts it already had a second time.
//
// How: a batch is known by its Fingerprint, a hash of its spans' trace id,
// span id and start time in order, which survives the queue's marshal and
// unmarshal. Begin loads the batch's record; the exporter skips the spans
// it marks Accepted; after each 2xx, Accept records that request's spans
// with one storage write of the record (a small header and one bit per
// span). A batch sent in one request is never written: the queue's own
// acknowledgement is its record. A split batch that completes keeps a
// compact "complete" record rather than none, so that a crash between that
// last write and the queue's acknowledgement does not replay it whole.
// Forget drops the record of a batch that leaves the queue unsent.
//
// Records are kept by the batch as the exporter receives it, so the
// exporter must retry that batch (calling Begin again) rather than a
// remainder, and the batch must be the same after a restart: batching
// that regroups queued items on the way out (sending_queue's batch
// settings) would give new fingerprints and replay the batches whole.
//
// Expiry: records older than Config.TTL are deleted when met (on Open and
// on every new record), and beyond Config.MaxRecords the oldest are
// evicted, complete ones first. Expiry can only cause duplicates, never
// loss: a batch whose record expired while it was still queued is sent
// whole again, repeating the parts Helicone already logged. A record only
// ever skips spans Helicone accepted.
//
// The window that remains: a request in flight when the process dies. From
// the moment a request is written to the connection until its acceptance
// is durable (Accept's write committed, or for a one-request batch the
// queue's acknowledgement), a kill leaves no trace of the answer; Helicone
// may have logged all of the request's spans or, since it logs span by
// span, a prefix of them. After the restart that request's spans are sent
// again, so at most the spans of the requests in flight at the kill (one
// per queue consumer) are duplicated. Nothing closes this window from the
// client side: Helicone has no idempotency key, and its logs carry fresh
// random ids, so the exporter cannot ask what it already has.
package delivery
