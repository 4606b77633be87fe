package e2e

import (
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// PII in the prompts and completions of the redaction test, and what
// config/redaction.yaml must turn it into.
const (
	piiPrompt    = "I am jane.doe@example.com, please refund card 4111 1111 1111 1111 and 378282246310005."
	maskedPrompt = "I am [redacted], please refund card [redacted] and [redacted]."
	piiAnswer    = "Refunded 5555-5555-5555-4444; the receipt goes to billing+eu@acme-corp.co.uk."
	maskedAnswer = "Refunded [redacted]; the receipt goes to [redacted]."
	// A user id that is an e-mail address: left as it is (ignored_key_patterns),
	// so that Helicone still tells users apart.
	piiUserID = "jane@example.org"
)

// piiFragments are the parts of the PII that must not reach Helicone in any
// form.
var piiFragments = []string{"jane.doe@", "4111", "378282246310005", "5555-5555", "billing+eu@", "acme-corp"}

// TestRedactionMasksMessages sends LLM calls in each convention with e-mail
// addresses and card numbers in their prompts and completions through
// config/redaction.yaml, and checks that Helicone logged the calls with the
// PII masked and the rest intact, and that no request carried the PII.
func TestRedactionMasksMessages(t *testing.T) {
	t.Parallel()
	srv := startFakeHelicone(t, helicone.Faults{})
	col := startShippedCollector(t, configFile("redaction.yaml"), srv.URL())

	spans := piiSpans()
	emitSpans(t, col.http, spans)
	if err := srv.WaitForSpans(testContext(t, 30*time.Second), len(spans)); err != nil {
		t.Fatalf("Helicone logged %d of %d LLM spans: %v", srv.SpanCount(), len(spans), err)
	}
	col.stop(t, 30*time.Second)
	checkRequests(t, srv)

	calls := srv.Calls()
	if len(calls) != len(spans) {
		t.Fatalf("Helicone logged %d calls, want %d", len(calls), len(spans))
	}
	for _, c := range calls {
		var user []string
		for _, m := range c.Messages {
			if m.Role == "user" {
				user = append(user, m.Content)
			}
		}
		if len(user) != 1 || user[0] != maskedPrompt {
			t.Errorf("%s: user messages %q, want [%q]", c.SpanName, user, maskedPrompt)
		}
		if len(c.Choices) != 1 || c.Choices[0].Content != maskedAnswer {
			t.Errorf("%s: choices %+v, want one with %q", c.SpanName, c.Choices, maskedAnswer)
		}
		if c.Model != "gpt-4o-mini-2024-07-18" {
			t.Errorf("%s: model %q: redaction changed what it must not", c.SpanName, c.Model)
		}
	}
	for _, c := range calls {
		// The OpenLLMetry and GenAI semconv spans carry the user as an
		// association property.
		if strings.HasPrefix(c.SpanName, "openai.chat") || strings.HasPrefix(c.SpanName, "chat ") {
			if c.UserID != piiUserID {
				t.Errorf("%s: user %q, want %q (ignored_key_patterns keeps user ids)", c.SpanName, c.UserID, piiUserID)
			}
		}
	}
	for i, r := range srv.Requests() {
		for _, f := range piiFragments {
			if strings.Contains(string(r.Body), f) {
				t.Errorf("request %d carries %q", i, f)
			}
		}
		if !strings.Contains(string(r.Body), `"redaction.masked.count"`) {
			t.Errorf("request %d has no redaction.masked.count (summary: info)", i)
		}
	}
}

// piiSpans are one LLM call in each convention whose message attributes
// carry the PII: OpenLLMetry (gen_ai.prompt.N.*), the GenAI semantic
// conventions (gen_ai.input.messages JSON), OpenInference
// (llm.input_messages.N.*) and the Vercel AI SDK (ai.prompt.messages).
func piiSpans() []span {
	chat := llmspans.Chat{
		Provider: "openai", RequestModel: "gpt-4o-mini", ResponseModel: "gpt-4o-mini-2024-07-18",
		Messages: []llmspans.Message{{Role: "user", Content: piiPrompt}},
		Output:   llmspans.Message{Role: "assistant", Content: piiAnswer}, FinishReason: "stop",
		InputTokens: 20, OutputTokens: 12, UserID: piiUserID,
	}
	semconv := chat
	semconv.Convention = llmspans.GenAISemconv
	return []span{
		{name: chat.SpanName(), attrs: chat.Attributes()},
		{name: semconv.SpanName(), attrs: semconv.Attributes()},
		{name: "OpenAI Chat Completions", attrs: []attribute.KeyValue{
			attribute.String("openinference.span.kind", "LLM"),
			attribute.String("llm.system", "openai"),
			attribute.String("llm.model_name", chat.ResponseModel),
			attribute.String("llm.input_messages.0.message.role", "user"),
			attribute.String("llm.input_messages.0.message.content", piiPrompt),
			attribute.String("llm.output_messages.0.message.role", "assistant"),
			attribute.String("llm.output_messages.0.message.content", piiAnswer),
		}},
		{name: "ai.generateText.doGenerate", attrs: []attribute.KeyValue{
			attribute.String("ai.operationId", "ai.generateText.doGenerate"),
			attribute.String("ai.model.provider", "openai.chat"),
			attribute.String("ai.model.id", chat.RequestModel),
			attribute.String("ai.response.model", chat.ResponseModel),
			attribute.String("ai.prompt.messages", `[{"role":"user","content":[{"type":"text","text":"`+piiPrompt+`"}]}]`),
			attribute.String("ai.response.text", piiAnswer),
			attribute.String("ai.response.finishReason", "stop"),
		}},
	}
}
