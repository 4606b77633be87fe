package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import "strings"

// The span attributes Helicone reads (SERVER.md), which the mapping fills in.
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
	propertyPrefix      = heliconePrefix + "Property-"
)

// heliconeReads reports whether Helicone reads a span attribute; with
// attributes.send: helicone the others are left out.
func heliconeReads(key string) bool {
	switch key {
	case keySystem, keyModel, keyRequestType, keyMaxTokens, keyPromptTokens, keyCompletionTokens, keyTotalTokens, keyLLMUser:
		return true
	}
	if strings.HasPrefix(key, heliconePrefix) {
		return true
	}
	group, _, ok := messageIndex(key)
	if !ok {
		return false
	}
	// messageIndex found gen_ai.prompt.N. or gen_ai.completion.N. before field.
	rest := strings.TrimPrefix(strings.TrimPrefix(key, promptPrefix), completionPrefix)
	field := rest[strings.IndexByte(rest, '.')+1:]
	return field == "role" || field == "content" || (group == 1 && field == "finish_reason")
}

// srcKey names a source attribute the mapping reads; see sourceKeys.
type srcKey uint8

const (
	srcSystem srcKey = iota
	srcProviderName
	srcLLMProvider
	srcLLMSystem
	srcAIProvider
	srcResponseModel
	srcAIResponseModel
	srcLLMModelName
	srcEmbeddingModelName
	srcRequestModel
	srcAIModelID
	srcRequestType
	srcOperation
	srcOIKind
	srcAIOperationID
	srcMaxTokens
	srcRequestMaxTokens
	srcAIMaxTokens
	srcInvocationParams
	srcPromptTokens
	srcCompletionTokens
	srcTotalTokens
	srcInputTokens
	srcOutputTokens
	srcUsageTotal
	srcOIPromptTokens
	srcOICompletionTokens
	srcOITotalTokens
	srcAIInputTokens
	srcAIOutputTokens
	srcAITotalTokens
	srcAIEmbeddingTokens
	srcHeliconeUser
	srcLLMUser
	srcUserID
	srcEnduserID
	srcSessionID
	srcConversationID
	srcOIMetadata
	srcSystemInstructions
	srcInputMessages
	srcOutputMessages
	srcFinishReasons
	srcOIFinishReason
	srcAIPromptMessages
	srcAIResponseText
	srcAIResponseToolCalls
	srcAIResponseObject
	srcAIFinishReason
	srcAIValues
	srcAIValue
	numSrcKeys
)

// has, a bit set of srcKeys, holds 64.
var _ [64 - numSrcKeys]struct{}

// sourceKeys are the attributes of each convention the mapping reads, by key.
// Several keys naming the same thing in different versions share a srcKey.
var sourceKeys = map[string]srcKey{
	keySystem:                        srcSystem,
	"gen_ai.provider.name":           srcProviderName,
	"llm.provider":                   srcLLMProvider,
	"llm.system":                     srcLLMSystem,
	"ai.model.provider":              srcAIProvider,
	keyModel:                         srcResponseModel,
	"ai.response.model":              srcAIResponseModel,
	"llm.model_name":                 srcLLMModelName,
	"embedding.model_name":           srcEmbeddingModelName,
	"gen_ai.request.model":           srcRequestModel,
	"ai.model.id":                    srcAIModelID,
	keyRequestType:                   srcRequestType,
	"gen_ai.operation.name":          srcOperation,
	"openinference.span.kind":        srcOIKind,
	"ai.operationId":                 srcAIOperationID,
	keyMaxTokens:                     srcMaxTokens,
	"gen_ai.request.max_tokens":      srcRequestMaxTokens,
	"ai.settings.maxOutputTokens":    srcAIMaxTokens,
	"ai.settings.maxTokens":          srcAIMaxTokens,
	"llm.invocation_parameters":      srcInvocationParams,
	keyPromptTokens:                  srcPromptTokens,
	keyCompletionTokens:              srcCompletionTokens,
	keyTotalTokens:                   srcTotalTokens,
	"gen_ai.usage.input_tokens":      srcInputTokens,
	"gen_ai.usage.output_tokens":     srcOutputTokens,
	"gen_ai.usage.total_tokens":      srcUsageTotal,
	"llm.token_count.prompt":         srcOIPromptTokens,
	"llm.token_count.completion":     srcOICompletionTokens,
	"llm.token_count.total":          srcOITotalTokens,
	"ai.usage.inputTokens":           srcAIInputTokens,
	"ai.usage.promptTokens":          srcAIInputTokens,
	"ai.usage.outputTokens":          srcAIOutputTokens,
	"ai.usage.completionTokens":      srcAIOutputTokens,
	"ai.usage.totalTokens":           srcAITotalTokens,
	"ai.usage.tokens":                srcAIEmbeddingTokens,
	keyUser:                          srcHeliconeUser,
	keyLLMUser:                       srcLLMUser,
	"user.id":                        srcUserID,
	"enduser.id":                     srcEnduserID,
	"session.id":                     srcSessionID,
	"gen_ai.conversation.id":         srcConversationID,
	"metadata":                       srcOIMetadata,
	"gen_ai.system_instructions":     srcSystemInstructions,
	"gen_ai.input.messages":          srcInputMessages,
	"gen_ai.output.messages":         srcOutputMessages,
	"gen_ai.response.finish_reasons": srcFinishReasons,
	"llm.finish_reason":              srcOIFinishReason,
	"ai.prompt.messages":             srcAIPromptMessages,
	"ai.response.text":               srcAIResponseText,
	"ai.response.toolCalls":          srcAIResponseToolCalls,
	"ai.response.object":             srcAIResponseObject,
	"ai.response.finishReason":       srcAIFinishReason,
	"ai.values":                      srcAIValues,
	"ai.value":                       srcAIValue,
}

// Prefixes of attribute families read key by key.
const (
	oiInputPrefix    = "llm.input_messages."
	oiOutputPrefix   = "llm.output_messages."
	oiEmbedPrefix    = "embedding.embeddings."
	vercelMetaPrefix = "ai.telemetry.metadata."
)
