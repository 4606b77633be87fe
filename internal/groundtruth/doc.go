// Package groundtruth judges the exporter against what an LLM server really
// saw. A suite is an OTLP/JSON trace export made by a real instrumentation and
// the server's own record of every call (calls.jsonl). The judge sends the
// traces through the real exporter into the fake Helicone endpoint, reads what
// arrived as Helicone's server reads it, finds the span of each recorded call
// and scores, per call, what a Helicone user would see against what happened.
//
// It knows the conventions only as far as it must to find a call's span (which
// spans carry a model call) and to read a streamed call's token estimate; every
// other expectation comes from the server's record, so a mapping bug cannot
// hide behind a matching bug in the test.
package groundtruth
