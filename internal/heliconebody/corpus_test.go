// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconebody

import (
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Prompt material for llmCorpus: mostly English prose, as in retrieval-augmented
// prompts, with curly quotes, dashes, a JSON snippet, and some German and Japanese.
var (
	englishParagraph = "Our refund policy covers orders placed within the last 30 days. If a parcel is marked " +
		"“delivered” but the customer can’t find it, open a carrier trace first — most parcels turn up " +
		"within 48 hours. Offer a replacement only after the trace has been open for two business days, and " +
		"never promise a delivery date the carrier has not confirmed.\n\n"
	codeParagraph = "Example of the refund call you may suggest:\n```json\n{\"order_id\": \"4411\", " +
		"\"action\": \"refund\", \"reason\": \"not_delivered\", \"note\": \"C:\\\\orders\\\\4411\"}\n```\n"
	germanParagraph   = "Der Kunde schreibt: „Meine Bestellung ist nicht angekommen. Können Sie mir bitte helfen?“ Bitte antworte höflich und auf Deutsch.\n"
	japaneseParagraph = "お客様からの問い合わせ：注文番号4411の荷物がまだ届いていません。\n"
	// denseParagraph packs a byte to escape or a non-ASCII rune into every dozen bytes.
	denseParagraph = "The customer wrote: \"My order #4411 hasn't arrived — können Sie helfen? 注文はどこ?\"\n" +
		"\tPolicy: refunds within 30 days; escalate if the parcel is lost.\n"
)

// realisticPrompt is a multi-KB retrieval-augmented prompt; i varies its length and mix.
func realisticPrompt(i int) string {
	var sb strings.Builder
	sb.WriteString("Answer the customer using only the context below.\n\nContext:\n")
	for p := range 4 + i%12 {
		switch {
		case p == 2:
			sb.WriteString(codeParagraph)
		case p == 3 && i%5 == 0:
			sb.WriteString(germanParagraph)
		case p == 4 && i%10 == 0:
			sb.WriteString(japaneseParagraph)
		default:
			sb.WriteString(englishParagraph)
		}
	}
	sb.WriteString("\nQuestion: where is my order #4411?")
	return sb.String()
}

// densePrompt is a worst case for the escaper: specials every dozen bytes.
func densePrompt(i int) string { return strings.Repeat(denseParagraph, 10+i%30) }

// llmCorpus builds n LLM chat spans the way OpenLLMetry records them, with
// multi-KB prompts made by prompt.
func llmCorpus(n int, prompt func(i int) string) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "support-bot")
	rs.Resource().Attributes().PutStr("deployment.environment.name", "production")
	rs.Resource().Attributes().PutEmptySlice("process.command_args").FromRaw([]any{"node", "server.js"})
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@traceloop/instrumentation-openai")
	ss.Scope().SetVersion("0.22.8")
	for i := range n {
		span := ss.Spans().AppendEmpty()
		span.SetTraceID(pcommon.TraceID{byte(i), byte(i >> 8), 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
		span.SetSpanID(pcommon.SpanID{byte(i), byte(i >> 8), 3, 4, 5, 6, 7, 8})
		span.SetParentSpanID(pcommon.SpanID{9, 9, 9, 9, 9, 9, 9, 9})
		span.SetName("openai.chat")
		span.SetKind(ptrace.SpanKindClient)
		span.SetStartTimestamp(pcommon.Timestamp(1_763_700_000_000_000_000 + int64(i)*1_000_000))
		span.SetEndTimestamp(pcommon.Timestamp(1_763_700_001_500_000_000 + int64(i)*1_000_000))
		a := span.Attributes()
		a.PutStr("gen_ai.system", "openai")
		a.PutStr("llm.request.type", "chat")
		a.PutStr("gen_ai.request.model", "gpt-4o-mini")
		a.PutInt("gen_ai.request.max_tokens", 512)
		a.PutDouble("gen_ai.request.temperature", 0.2)
		a.PutStr("gen_ai.prompt.0.role", "system")
		a.PutStr("gen_ai.prompt.0.content", "You are a helpful support agent. Answer briefly.")
		a.PutStr("gen_ai.prompt.1.role", "user")
		a.PutStr("gen_ai.prompt.1.content", prompt(i))
		a.PutStr("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
		a.PutStr("gen_ai.completion.0.role", "assistant")
		a.PutStr("gen_ai.completion.0.finish_reason", "stop")
		a.PutStr("gen_ai.completion.0.content", strings.Repeat("I’m sorry about order #4411 — I’ve opened a carrier trace and will update you.\n", 3+i%10))
		a.PutInt("gen_ai.usage.prompt_tokens", int64(400+i))
		a.PutInt("gen_ai.usage.completion_tokens", int64(60+i%40))
		a.PutInt("llm.usage.total_tokens", int64(460+i+i%40))
		a.PutStr("traceloop.association.properties.Helicone-User-Id", fmt.Sprintf("user-%d", i%50))
		a.PutStr("traceloop.association.properties.Helicone-Session-Id", fmt.Sprintf("session-%d", i%200))
	}
	return td
}

// smallCorpus builds n small non-LLM spans: HTTP handlers and database queries.
func smallCorpus(n int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "support-bot")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("@opentelemetry/instrumentation-http")
	ss.Scope().SetVersion("0.57.0")
	for i := range n {
		span := ss.Spans().AppendEmpty()
		span.SetTraceID(pcommon.TraceID{byte(i), byte(i >> 8), 1})
		span.SetSpanID(pcommon.SpanID{byte(i), byte(i >> 8), 2})
		span.SetName("GET /orders/:id")
		span.SetKind(ptrace.SpanKindServer)
		span.SetStartTimestamp(pcommon.Timestamp(1_763_700_000_000_000_000 + int64(i)))
		span.SetEndTimestamp(pcommon.Timestamp(1_763_700_000_020_000_000 + int64(i)))
		a := span.Attributes()
		a.PutStr("http.request.method", "GET")
		a.PutStr("http.route", "/orders/:id")
		a.PutInt("http.response.status_code", 200)
		a.PutStr("server.address", "api.internal")
		a.PutInt("server.port", 8080)
		a.PutBool("app.cache_hit", i%2 == 0)
		ev := span.Events().AppendEmpty()
		ev.SetName("cache.lookup")
		ev.SetTimestamp(pcommon.Timestamp(1_763_700_000_010_000_000 + int64(i)))
	}
	return td
}
