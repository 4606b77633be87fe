// Package helicone is Helicone's side of POST /v1/trace/log as tests and the
// dev server see it: the request schema the server enforces (ValidateBody),
// how the server reads each span into an LLM call (ReadCalls), and a fake
// endpoint that answers like the real one and can be told to misbehave
// (Server, Faults).
//
// Everything here follows what Helicone's server (the jawn service) actually
// does, not the OTLP/JSON specification: the two disagree, and the exporter
// must satisfy the server.
package helicone
