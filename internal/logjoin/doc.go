// Package logjoin joins GenAI event log records to the spans of the LLM calls
// they describe, so that content the official OpenTelemetry instrumentations
// record as log records (gen_ai.user.message, gen_ai.choice, ...,
// gen_ai.client.inference.operation.details) reaches a span exporter that only
// sees spans.
//
// Records and spans travel in different pipelines and arrive in any order. A
// Joiner holds both for a bounded time: a span that looks like an LLM call
// without content waits for its records, and a record waits for its span,
// each at most Config.MaxWait. Memory is bounded by Config.MaxItems and
// Config.MaxBytes; at the limit the oldest item goes first: a span is
// released early (never dropped), a record is dropped. Nothing waits past
// its deadline once Expire runs, and Flush returns every held span. Records
// that never meet a span are dropped and counted by reason, non-GenAI records
// are ignored and counted (Stats).
//
// A joined record becomes a span event of the shape the exporter's span-event
// mapper already reads (ToSpanEvent), so the mapping has one code path.
//
// The Joiner is pure Go over pdata with an injectable clock: it starts no
// goroutine; its owner calls Expire on a ticker and Flush on shutdown.
package logjoin
