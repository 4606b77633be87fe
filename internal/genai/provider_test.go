// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeProvider(t *testing.T) {
	for in, want := range map[string]string{
		"OpenAI": "openai", "openai.chat": "openai", "azure.chat": "azure", "az.ai.inference": "azure",
		"amazon-bedrock": "bedrock", "google.generative-ai": "google", "vertex_ai": "google",
		"deepseek.chat": "deepseek", "togetherai.chat": "together", "groq": "groq",
	} {
		got, known := normalizeProvider(in)
		assert.True(t, known, in)
		assert.Equal(t, want, got, in)
	}
	got, known := normalizeProvider("Ollama")
	assert.False(t, known)
	assert.Equal(t, "Ollama", got)
}
