// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Helicone's trace endpoint logs every request as a 200 with whatever response the
// span carried, so a failed call would look like an empty success. A failed call
// (status ERROR, error.type, or an exception event) gets a property users filter
// on, and, where the span has no response, the error as its response.

// keyError is the property a failed call carries: its error type.
const keyError = PropertyPrefix + "Error"

// addFailure marks a failed call.
func (m *Mapper) addFailure(span ptrace.Span) {
	errType, msg, failed := failureOf(span)
	if !failed {
		return
	}
	m.add(keyError, cmpOr(errType, "error"))
	if m.hasCompletions || m.completions > 0 {
		return // never hide a real response
	}
	b := append(m.text[:0], "Error: "...)
	if errType != "" {
		b = append(b, errType...)
		if msg != "" {
			b = append(b, ": "...)
		}
	}
	m.addCompletion("assistant", append(b, msg...), "error")
}

// failureOf reads whether a span failed, its error type (error.type, else the
// exception's type) and message (the status message, else the exception's).
func failureOf(span ptrace.Span) (errType, msg string, failed bool) {
	attrs := span.Attributes()
	errType = strAttr(attrs, "error.type")
	failed = errType != "" || span.Status().Code() == ptrace.StatusCodeError
	msg = span.Status().Message()
	for _, ev := range span.Events().All() {
		if ev.Name() != "exception" {
			continue
		}
		failed = true
		errType = cmpOr(errType, strAttr(ev.Attributes(), "exception.type"))
		msg = cmpOr(msg, strAttr(ev.Attributes(), "exception.message"))
		break
	}
	return errType, msg, failed
}
