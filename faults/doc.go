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
//	make test-long     -tags long: kill -9 with file_storage, and overload
//	                   (minutes; .ci/run runs it too)
//
// Tests of what the exporter does not do yet carry the tag pending as well
// (-tags 'long pending'), so that make test-long stays green until it does.
//
// Both find the binary through OTELCOL_HELICONE_BIN, else run `make build`.
package faults
