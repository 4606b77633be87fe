// Package helicone is Helicone's side of POST /v1/trace/log as tests and the
// dev server see it: the request schema the server enforces (ValidateBody),
// how the server's parser turns each span into a request log (ReadCalls,
// Call.Log), which span attributes it reads and in which type (ReadKeys),
// and a fake endpoint that answers like the real one and can be told to
// misbehave (Server, Faults).
//
// Everything here follows what Helicone's server (the jawn service) actually
// does, not the OTLP/JSON specification: the two disagree, and the exporter
// must satisfy the server. contract_test.go holds the model to the server's
// own recorded answers and logs (testdata/helicone/recorded), including the
// way it fails: a span the parser throws on answers 500 after the spans
// before it were logged.
package helicone
