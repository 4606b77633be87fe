// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"bytes"
	"strings"
)

// Helicone upper-cases gen_ai.system and takes it as one of its provider names
// (OPENAI, ANTHROPIC, AZURE, GOOGLE, BEDROCK, ...: providersNames in Helicone's
// packages/cost/providers/mappings.ts), which decides how it prices and reads the
// call. Conventions name providers otherwise: "az.ai.openai", "aws.bedrock",
// "gcp.vertex_ai", or the Vercel AI SDK's "openai.chat", "google.vertex.chat".

// providerAliases maps a lower-cased provider name, whole or its part before the
// first dot, to the name Helicone knows.
var providerAliases = map[string]string{
	"openai":          "openai",
	"azure":           "azure",
	"az.ai.openai":    "azure",
	"az.ai.inference": "azure",
	"azure_openai":    "azure",
	"azure-openai":    "azure",
	"azureopenai":     "azure",
	"anthropic":       "anthropic",
	"aws.bedrock":     "bedrock",
	"bedrock":         "bedrock",
	"amazon-bedrock":  "bedrock",
	"amazon_bedrock":  "bedrock",
	"awsbedrock":      "bedrock",
	"gcp.vertex_ai":   "google",
	"gcp.gemini":      "google",
	"gcp.gen_ai":      "google",
	"google":          "google",
	"google-vertex":   "google",
	"google_genai":    "google",
	"google-genai":    "google",
	"vertex_ai":       "google",
	"vertexai":        "google",
	"vertex":          "google",
	"gemini":          "google",
	"cohere":          "cohere",
	"mistral":         "mistral",
	"mistral_ai":      "mistral",
	"mistralai":       "mistral",
	"groq":            "groq",
	"deepseek":        "deepseek",
	"perplexity":      "perplexity",
	"x_ai":            "x",
	"xai":             "x",
	"together":        "together",
	"together_ai":     "together",
	"togetherai":      "together",
	"fireworks":       "fireworks",
	"fireworks_ai":    "fireworks",
	"fireworksai":     "fireworks",
	"openrouter":      "openrouter",
	"deepinfra":       "deepinfra",
	"cerebras":        "cerebras",
	"nvidia":          "nvidia",
	"nvidia_nim":      "nvidia",
	"novita":          "novita",
	"nebius":          "nebius",
	"avian":           "avian",
	"baseten":         "baseten",
	"helicone":        "helicone",
	"vercel":          "vercel",
	"gateway":         "vercel", // the Vercel AI Gateway provider
	"perplexity_ai":   "perplexity",
	"meta_llama":      "llama",
	"llama":           "llama",
	"cloudflare":      "cloudflare",
}

// normalizeProvider returns the Helicone name for a provider, and whether it knows
// one; an unknown name is returned as it is.
func normalizeProvider(name string) (string, bool) {
	var buf [64]byte
	lower := appendLower(buf[:0], strings.TrimSpace(name))
	// m[string(bytes)] does not allocate.
	if p, ok := providerAliases[string(lower)]; ok {
		return p, true
	}
	if dot := bytes.IndexByte(lower, '.'); dot > 0 {
		if p, ok := providerAliases[string(lower[:dot])]; ok {
			return p, true
		}
	}
	return name, false
}

// appendLower appends s lower-cased, ASCII only: provider names are ASCII.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
