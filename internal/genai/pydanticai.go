// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

// pydantic-ai writes the GenAI conventions (semconv.go), with two attributes of its
// own: an embeddings span's inputs (a JSON array of the texts embedded), and, in
// instrumentation v1, the messages as an events JSON array (logfire.go reads it).
var pdInputs = attr("inputs")

var pydanticAI = convention{
	prompts: []messageSource{{rank: 60, add: func(m *Mapper) bool {
		if m.reqType != "embedding" {
			return false
		}
		m.addTextPrompts(jsonOf(m.str(pdInputs)))
		return m.prompts > 0
	}}},
}
