// Package faults proves the otelcol-helicone binary under faults, overload
// and bad input: it runs the real collector (internal/otelcoltest) in front
// of the fake Helicone endpoint (internal/helicone), makes the endpoint or
// the process misbehave, and counts span ids at both ends.
//
// The tests are behind build tags, so that `go test ./...` does not run them
// a second time:
//
//	make test-faults   -tags faults: the fault matrix, permanent errors, bad
//	                   input, the API key and TLS checks (seconds; part of make test)
//	make test-long     -tags long: kill -9 with file_storage (also while batches
//	                   are split), a rolling restart in an outage, poison spans,
//	                   the queue on disk, and overload (minutes; .ci/run runs it too)
//
// Both find the binary through OTELCOL_HELICONE_BIN, else run `make build`.
package faults
