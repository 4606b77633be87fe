// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strconv"
	"strings"
)

// The span attributes Helicone reads (internal/helicone/attributes.go reads them as
// Helicone does), which Map fills in.
const (
	keySystem           = "gen_ai.system"
	keyModel            = "gen_ai.response.model"
	keyRequestType      = "llm.request.type"
	keyMaxTokens        = "gen_ai.response.max_tokens"
	keyPromptTokens     = "gen_ai.usage.prompt_tokens"
	keyCompletionTokens = "gen_ai.usage.completion_tokens"
	keyTotalTokens      = "llm.usage.total_tokens"
	keyLLMUser          = "llm.user"
	associationPrefix   = "traceloop.association.properties."
	heliconePrefix      = associationPrefix + "Helicone-"
	keyUser             = heliconePrefix + "User-Id"
	keySession          = heliconePrefix + "Session-Id"
	keySessionPath      = heliconePrefix + "Session-Path"
	keySessionName      = heliconePrefix + "Session-Name"
	// PropertyPrefix starts the key of a Helicone custom property.
	PropertyPrefix   = heliconePrefix + "Property-"
	promptPrefix     = "gen_ai.prompt."
	completionPrefix = "gen_ai.completion."
)

// HeliconeReads reports whether Helicone reads a span attribute; with
// attributes.send: helicone the others are left out.
func HeliconeReads(key string) bool {
	reads, _, _, _ := ClassifyKey(key)
	return reads
}

// ClassifyKey is HeliconeReads and MessageIndex in one pass over key, for the
// encoder's loop over every attribute of every span.
func ClassifyKey(key string) (reads bool, group, n int, ok bool) {
	if key == "" || !readFirst[key[0]] {
		return false, 0, 0, false // most keys: http.*, db.*, service.*
	}
	switch key {
	case keySystem, keyModel, keyRequestType, keyMaxTokens, keyPromptTokens, keyCompletionTokens, keyTotalTokens, keyLLMUser:
		return true, 0, 0, false
	}
	if strings.HasPrefix(key, heliconePrefix) {
		return true, 0, 0, false
	}
	group, n, field, ok := messageField(key)
	if !ok {
		return false, 0, 0, false
	}
	return field == "role" || field == "content" || (group == 1 && field == "finish_reason"), group, n, true
}

// readFirst flags the first bytes of the keys and key prefixes Helicone reads.
var readFirst = func() (t [256]bool) {
	for _, k := range []string{keySystem, keyModel, keyRequestType, keyMaxTokens, keyPromptTokens, keyCompletionTokens,
		keyTotalTokens, keyLLMUser, heliconePrefix, promptPrefix, completionPrefix} {
		t[k[0]] = true
	}
	return t
}()

// MessageIndex reports whether key is gen_ai.prompt.N.* (group 0) or
// gen_ai.completion.N.* (group 1), and its N. Helicone orders a request's messages
// by these N.
func MessageIndex(key string) (group, n int, ok bool) {
	group, n, _, ok = messageField(key)
	return group, n, ok
}

// messageField is MessageIndex with what follows "N." in the key.
func messageField(key string) (group, n int, field string, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(key, promptPrefix):
		rest = key[len(promptPrefix):]
	case strings.HasPrefix(key, completionPrefix):
		group, rest = 1, key[len(completionPrefix):]
	default:
		return 0, 0, "", false
	}
	dot := strings.IndexByte(rest, '.')
	if dot <= 0 {
		return 0, 0, "", false
	}
	n, err := strconv.Atoi(rest[:dot])
	if err != nil || n < 0 {
		return 0, 0, "", false
	}
	return group, n, rest[dot+1:], true
}
