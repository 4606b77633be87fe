// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func failedStatus(msg string) func(ptrace.Span) {
	return func(span ptrace.Span) {
		span.Status().SetCode(ptrace.StatusCodeError)
		span.Status().SetMessage(msg)
	}
}

func withException(typ, msg string) func(ptrace.Span) {
	return func(span ptrace.Span) {
		ev := span.Events().AppendEmpty()
		ev.SetName("exception")
		ev.Attributes().PutStr("exception.type", typ)
		ev.Attributes().PutStr("exception.message", msg)
	}
}

func TestFailureMarked(t *testing.T) {
	on := Settings{Failures: true, MaxContent: 1024}
	chat := map[string]any{"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o"}
	t.Run("status and exception", func(t *testing.T) {
		got := mappedAttrs(t, on, chat, func(span ptrace.Span) {
			failedStatus("404 model not found")(span)
			withException("openai.NotFoundError", "the exception's message")(span)
		})
		assert.Equal(t, "openai.NotFoundError", got[keyError].Str)
		assert.Equal(t, "assistant", got["gen_ai.completion.0.role"].Str)
		assert.Equal(t, "Error: openai.NotFoundError: 404 model not found", got["gen_ai.completion.0.content"].Str)
		assert.Equal(t, "error", got["gen_ai.completion.0.finish_reason"].Str)
	})
	t.Run("error.type wins, exception message when no status message", func(t *testing.T) {
		attrs := map[string]any{"gen_ai.operation.name": "chat", "error.type": "timeout"}
		got := mappedAttrs(t, on, attrs, withException("TimeoutError", "read timed out"))
		assert.Equal(t, "timeout", got[keyError].Str)
		assert.Equal(t, "Error: timeout: read timed out", got["gen_ai.completion.0.content"].Str)
	})
	t.Run("status alone", func(t *testing.T) {
		got := mappedAttrs(t, on, chat, failedStatus("boom"))
		assert.Equal(t, "error", got[keyError].Str)
		assert.Equal(t, "Error: boom", got["gen_ai.completion.0.content"].Str)
	})
	t.Run("a real response is kept", func(t *testing.T) {
		attrs := map[string]any{"gen_ai.operation.name": "chat", "gen_ai.output.messages": `[{"role":"assistant","parts":[{"type":"text","content":"partial"}]}]`}
		got := mappedAttrs(t, on, attrs, failedStatus("stream cut"))
		assert.Equal(t, "error", got[keyError].Str)
		assert.Equal(t, "partial", got["gen_ai.completion.0.content"].Str)
		assert.NotContains(t, got, "gen_ai.completion.1.content")
	})
	t.Run("the span's own completion is kept", func(t *testing.T) {
		attrs := map[string]any{"llm.request.type": "chat", "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "hi"}
		got := mappedAttrs(t, on, attrs, failedStatus("late failure"))
		assert.NotContains(t, got, "gen_ai.completion.0.content")
	})
	t.Run("a success is not marked", func(t *testing.T) {
		got := mappedAttrs(t, on, chat, func(span ptrace.Span) { span.Status().SetCode(ptrace.StatusCodeOk) })
		assert.NotContains(t, got, keyError)
	})
	t.Run("off", func(t *testing.T) {
		got := mappedAttrs(t, Settings{}, chat, failedStatus("boom"))
		assert.NotContains(t, got, keyError)
		assert.NotContains(t, got, "gen_ai.completion.0.content")
	})
}

func TestFailedCallModelFromInvocationParameters(t *testing.T) {
	attrs := map[string]any{"openinference.span.kind": "LLM", "llm.invocation_parameters": `{"model":"gpt-4.1","temperature":0}`}
	got := mappedAttrs(t, Settings{}, attrs, failedStatus("Error getting response"))
	assert.Equal(t, "gpt-4.1", got[keyModel].Str)
}
