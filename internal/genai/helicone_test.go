// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHeliconeReads(t *testing.T) {
	for key, want := range map[string]bool{
		"gen_ai.system": true, "gen_ai.response.model": true, "llm.usage.total_tokens": true,
		"gen_ai.prompt.3.role": true, "gen_ai.prompt.3.content": true, "gen_ai.prompt.3.finish_reason": false,
		"gen_ai.completion.0.finish_reason": true, "gen_ai.completion.0.tool_calls.0.name": false,
		heliconePrefix + "Session-Path": true, associationPrefix + "user_id": false,
		"gen_ai.request.model": false, "gen_ai.usage.input_tokens": false, "gen_ai.prompt": false,
	} {
		assert.Equal(t, want, HeliconeReads(key), key)
	}
}
