package logjoin

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// inferenceOps are the gen_ai.operation.name values of a model call whose
// content the conventions record as events. Embeddings have none.
var inferenceOps = map[string]bool{"chat": true, "text_completion": true, "generate_content": true}

// contentKeys are attribute keys, and prefixes ending in ".", under which some
// convention records an LLM call's messages on the span itself: GenAI
// semconv, OpenLLMetry, the Vercel AI SDK, OpenInference, pydantic-ai and
// Logfire. A span with one of them has its content already.
var contentKeys = []string{
	"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.prompt.", "gen_ai.completion.",
	"ai.prompt", "ai.response.", "llm.input_messages.", "llm.output_messages.",
	"events", "request_data", "response_data",
}

// LLMWithoutContent is the default Config.Waits: the span is a GenAI model
// call (gen_ai.operation.name chat, text_completion or generate_content; or,
// without an operation name, gen_ai.system or gen_ai.provider.name with a
// model) and carries no messages in any form it could have them in: neither
// an attribute of contentKeys nor a content span event. Such a span is what
// the official instrumentations export when they record content as log
// records.
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
		if hasContentKey(key) {
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

// hasContentKey says whether key is one of contentKeys, or below one: k
// itself, k followed by anything when k ends in ".", else k + "." + anything.
func hasContentKey(key string) bool {
	for _, k := range contentKeys {
		if !strings.HasPrefix(key, k) {
			continue
		}
		if rest := key[len(k):]; rest == "" || rest[0] == '.' || strings.HasSuffix(k, ".") {
			return true
		}
	}
	return false
}
