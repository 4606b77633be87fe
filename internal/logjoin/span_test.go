package logjoin

import "testing"

func TestHasContentKey(t *testing.T) {
	for key, want := range map[string]bool{
		"gen_ai.input.messages":         true,  // the key itself
		"gen_ai.input.messages.0.role":  true,  // below it
		"gen_ai.input.messages_count":   false, // only sharing a prefix
		"gen_ai.prompt.0.content":       true,  // a prefix ending in "."
		"gen_ai.prompt":                 false, // not the prefix itself
		"ai.prompt":                     true,
		"ai.prompt.messages":            true,
		"ai.prompt_tokens":              false,
		"llm.input_messages.0.message":  true,
		"events":                        true,
		"gen_ai.request.model":          false,
		"gen_ai.usage.input_tokens":     false,
		"response_data":                 true,
		"response_data.message.content": true,
	} {
		if got := hasContentKey(key); got != want {
			t.Errorf("hasContentKey(%q) = %v, want %v", key, got, want)
		}
	}
}
