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

func TestProviderIsTheVendorNotTheFramework(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]any
		want  Attr
	}{
		{"strands: the model decides", map[string]any{"gen_ai.provider.name": "strands-agents", "gen_ai.request.model": "gpt-4o-mini", "server.address": "127.0.0.1"},
			Attr{Key: keySystem, Str: "openai"}},
		{"framework in gen_ai.system is replaced", map[string]any{"gen_ai.system": "strands-agents", "gen_ai.request.model": "us.anthropic.claude-3-7-sonnet"},
			Attr{Key: keySystem, Str: "bedrock", Replace: true}},
		{"the host decides before the model", map[string]any{"gen_ai.system": "langchain", "server.address": "my-res.openai.azure.com", "gen_ai.request.model": "gpt-4o"},
			Attr{Key: keySystem, Str: "azure", Replace: true}},
		{"the framework's own provider attribute", map[string]any{"gen_ai.system": "crewai", "llm.provider": "anthropic", "gen_ai.request.model": "gpt-4o"},
			Attr{Key: keySystem, Str: "anthropic", Replace: true}},
		{"no provider at all", map[string]any{"gen_ai.operation.name": "chat", "gen_ai.request.model": "claude-sonnet-4-5"},
			Attr{Key: keySystem, Str: "anthropic"}},
		{"gemini by host", map[string]any{"gen_ai.operation.name": "chat", "server.address": "generativelanguage.googleapis.com"},
			Attr{Key: keySystem, Str: "google"}},
		{"a vendor is kept", map[string]any{"gen_ai.provider.name": "openai", "gen_ai.request.model": "claude-3"},
			Attr{Key: keySystem, Str: "openai"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mappedAttrs(t, Settings{}, tt.attrs, nil)[keySystem])
		})
	}
	t.Run("unknown framework vendor keeps the name", func(t *testing.T) {
		got := mappedAttrs(t, Settings{}, map[string]any{"gen_ai.provider.name": "strands-agents", "gen_ai.request.model": "llama3.2"}, nil)
		assert.Equal(t, "strands-agents", got[keySystem].Str)
	})
}

func TestProviderOfModelAndHost(t *testing.T) {
	for model, want := range map[string]string{
		"gpt-4o-mini": "openai", "o3-mini": "openai", "text-embedding-3-small": "openai", "chatgpt-4o-latest": "openai",
		"claude-3-5-haiku-latest": "anthropic", "models/gemini-2.0-flash": "google", "text-embedding-004": "google",
		"mistral-large-latest": "mistral", "mixtral-8x7b": "mistral", "eu.anthropic.claude-3-haiku": "bedrock",
		"amazon.titan-embed-text-v2": "bedrock", "llama3.1": "", "fail-model-does-not-exist": "",
	} {
		assert.Equal(t, want, providerOfModel(model), model)
	}
	for host, want := range map[string]string{
		"api.openai.com": "openai", "x.openai.azure.com": "azure", "bedrock-runtime.us-east-1.amazonaws.com": "bedrock",
		"s3.amazonaws.com": "", "api.anthropic.com": "anthropic", "127.0.0.1": "", "api.mistral.ai": "mistral",
	} {
		assert.Equal(t, want, providerOfHost(host), host)
	}
}
