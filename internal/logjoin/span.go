package logjoin

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// inferenceOps are the gen_ai.operation.name values of a model call whose
// content the conventions record as events. Embeddings have none.
var inferenceOps = map[string]bool{"chat": true, "text_completion": true, "generate_content": true}

// LLMWithoutContent is the default Config.Waits: the span is a GenAI model
// call (gen_ai.operation.name chat, text_completion or generate_content; or,
// without an operation name, gen_ai.system or gen_ai.provider.name with a
// model) and carries no messages in any GenAI form, neither attributes
// (gen_ai.input.messages, gen_ai.output.messages, gen_ai.prompt.N.*,
// gen_ai.completion.N.*) nor content span events. Such a span is what the
// official instrumentations export when they record content as log records.
func LLMWithoutContent(span ptrace.Span) bool {
	attrs := span.Attributes()
	if op, ok := attrs.Get("gen_ai.operation.name"); ok {
		if !inferenceOps[op.AsString()] {
			return false
		}
	} else {
		_, system := attrs.Get("gen_ai.system")
		_, provider := attrs.Get("gen_ai.provider.name")
		_, model := attrs.Get("gen_ai.request.model")
		if !(system || provider) || !model {
			return false
		}
	}
	for key := range attrs.All() {
		switch {
		case key == "gen_ai.input.messages", key == "gen_ai.output.messages",
			strings.HasPrefix(key, "gen_ai.prompt."), strings.HasPrefix(key, "gen_ai.completion."):
			return false
		}
	}
	for _, ev := range span.Events().All() {
		if contentEvents[ev.Name()] {
			return false
		}
	}
	return true
}
