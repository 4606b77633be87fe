// Package otelcoltest runs the real otelcol-helicone binary for tests and
// benchmarks, and feeds and measures it from the outside:
//
//   - binary.go finds the binary (OTELCOL_HELICONE_BIN, else `make build`);
//   - collector.go starts it on free ports with a config written to a temp
//     dir, waits for health_check, stops it (SIGTERM, then SIGKILL) or
//     kills it (SIGKILL, as a crash);
//   - metrics.go scrapes its own Prometheus endpoint (otelcol_exporter_sent_spans
//     and the like);
//   - proc_linux.go reads its RSS, peak RSS and CPU time from /proc;
//   - spans.go and load.go send LLM-shaped spans over OTLP with the
//     OpenTelemetry OTLP client, at a fixed rate or as fast as possible,
//     recording which spans the collector acknowledged.
//
// The fault suite (faults/), the benchmark harness (bench/) and the load
// generator (cmd/loadgen) are built on it.
package otelcoltest
