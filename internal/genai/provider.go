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

// Agent frameworks name themselves where the conventions want the provider (Strands
// sets gen_ai.provider.name to strands-agents); Helicone can neither price nor group
// such a call. frameworks lists those names, lower-cased.
var frameworks = map[string]bool{
	"strands-agents": true, "strands": true, "pydantic-ai": true, "pydantic_ai": true,
	"langchain": true, "langgraph": true, "crewai": true, "llamaindex": true, "llama_index": true,
	"llama-index": true, "autogen": true, "ag2": true, "semantic-kernel": true, "semantic_kernel": true,
	"microsoft.semantic_kernel": true, "openai-agents": true, "openai_agents": true, "agno": true,
	"haystack": true, "dspy": true, "google_adk": true, "google-adk": true, "mastra": true, "beeai": true,
}

// isFramework reports whether a provider name is an agent framework's, not a vendor's.
func isFramework(name string) bool {
	var buf [64]byte
	return frameworks[string(appendLower(buf[:0], strings.TrimSpace(name)))]
}

// vendorHosts maps an API host (server.address), by suffix, to its provider.
var vendorHosts = []struct{ suffix, provider string }{
	{"api.openai.com", "openai"},
	{".openai.azure.com", "azure"},
	{".services.ai.azure.com", "azure"},
	{".cognitiveservices.azure.com", "azure"},
	{"api.anthropic.com", "anthropic"},
	{"generativelanguage.googleapis.com", "google"},
	{"aiplatform.googleapis.com", "google"},
	{".amazonaws.com", "bedrock"}, // bedrock-runtime.<region>.amazonaws.com; checked below
	{"api.mistral.ai", "mistral"},
	{"api.groq.com", "groq"},
	{"api.deepseek.com", "deepseek"},
	{"api.perplexity.ai", "perplexity"},
	{"api.x.ai", "x"},
	{"api.together.xyz", "together"},
	{"api.together.ai", "together"},
	{"api.fireworks.ai", "fireworks"},
	{"openrouter.ai", "openrouter"},
	{"api.deepinfra.com", "deepinfra"},
	{"api.cerebras.ai", "cerebras"},
	{"api.cohere.com", "cohere"},
	{"api.cohere.ai", "cohere"},
	{"integrate.api.nvidia.com", "nvidia"},
	{"ai-gateway.vercel.sh", "vercel"},
}

// providerOfHost names the provider of an API host, or "".
func providerOfHost(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, h := range vendorHosts {
		if host == strings.TrimPrefix(h.suffix, ".") || strings.HasSuffix(host, h.suffix) {
			if h.provider == "bedrock" && !strings.HasPrefix(host, "bedrock") {
				continue
			}
			return h.provider
		}
	}
	return ""
}

// vendorModels maps a model name prefix to the vendor whose API serves it. Open
// models (llama, qwen, ...) are served by many and decide nothing.
var vendorModels = []struct{ prefix, provider string }{
	{"gpt-", "openai"}, {"chatgpt-", "openai"}, {"o1", "openai"}, {"o3", "openai"}, {"o4", "openai"},
	{"text-embedding-", "openai"}, {"davinci", "openai"}, {"babbage", "openai"}, {"dall-e", "openai"},
	{"whisper", "openai"}, {"tts-", "openai"}, {"omni-moderation", "openai"}, {"text-moderation", "openai"},
	{"computer-use", "openai"}, {"codex-", "openai"},
	{"claude", "anthropic"},
	{"gemini", "google"}, {"gemma", "google"}, {"text-embedding-004", "google"}, {"imagen", "google"},
	{"mistral", "mistral"}, {"mixtral", "mistral"}, {"codestral", "mistral"}, {"ministral", "mistral"},
	{"pixtral", "mistral"}, {"magistral", "mistral"}, {"open-mistral", "mistral"}, {"open-mixtral", "mistral"},
	{"command", "cohere"}, {"embed-english", "cohere"}, {"embed-multilingual", "cohere"},
	{"deepseek", "deepseek"}, {"grok", "x"}, {"sonar", "perplexity"},
}

// bedrockVendors start a Bedrock model id (anthropic.claude-..., with an optional
// region prefix: us.anthropic.claude-...): the call went to Bedrock.
var bedrockVendors = []string{"anthropic.", "amazon.", "meta.", "cohere.", "mistral.", "ai21.", "deepseek.", "writer."}

// providerOfModel names the vendor of a model, or "".
func providerOfModel(model string) string {
	var buf [128]byte
	lower := string(appendLower(buf[:0], strings.TrimSpace(model)))
	if slash := strings.LastIndexByte(lower, '/'); slash >= 0 { // models/gemini-..., openai/gpt-...
		lower = lower[slash+1:]
	}
	for _, region := range [...]string{"", "us.", "eu.", "apac.", "global."} {
		for _, v := range bedrockVendors {
			if strings.HasPrefix(lower, region+v) {
				return "bedrock"
			}
		}
	}
	best, provider := 0, ""
	for _, v := range vendorModels { // the longest prefix wins: text-embedding-004 is Google's
		if len(v.prefix) > best && strings.HasPrefix(lower, v.prefix) {
			best, provider = len(v.prefix), v.provider
		}
	}
	return provider
}

// serverAddress is the API host the semconv instrumentations record.
var serverAddress = attr("server.address")
