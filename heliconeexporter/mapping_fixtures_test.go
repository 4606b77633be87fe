// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// Each fixture goes through the real exporter into the fake Helicone, and every call
// Helicone would record is compared with what the fixture's own source attributes
// say, read here per convention independently of the mapping code.

// wantCall is what Helicone should record for one LLM span.
type wantCall struct {
	provider, model, requestType string
	maxTokens                    *int64
	prompt, completion, total    *int64
	user, session                string
	properties                   map[string]string
	messages, choices            []wantMessage
	sourceKeys                   map[string]bool // the span's own attribute keys
}

// wantMessage is a message: its exact content, or, for tool calls, texts it contains.
type wantMessage struct {
	role, content, finish string
	contains              []string
}

// genaiFixture says which spans of a fixture are LLM calls and what each should show.
type genaiFixture struct {
	file   string
	isLLM  func(scope string, span ptrace.Span) bool
	expect func(t *testing.T, res pcommon.Map, span ptrace.Span) wantCall
}

var genaiFixtures = []genaiFixture{
	{
		file:   "openllmetry-0.22.8.traces.json",
		isLLM:  func(scope string, _ ptrace.Span) bool { return strings.HasPrefix(scope, "@traceloop/instrumentation-") },
		expect: expectOpenLLMetry022,
	},
	{
		file:   "openllmetry-0.27.0.traces.json",
		isLLM:  func(scope string, _ ptrace.Span) bool { return strings.HasPrefix(scope, "@traceloop/instrumentation-") },
		expect: expectOpenLLMetry027,
	},
	{
		file: "openinference-4.2.7.traces.json",
		isLLM: func(_ string, span ptrace.Span) bool {
			kind := attrStr(span.Attributes(), "openinference.span.kind")
			return kind == "LLM" || kind == "EMBEDDING"
		},
		expect: expectOpenInference,
	},
	{
		file: "vercel-ai-6.0.326.traces.json",
		isLLM: func(_ string, span ptrace.Span) bool {
			return strings.HasSuffix(span.Name(), ".doGenerate") || strings.HasSuffix(span.Name(), ".doStream") || strings.HasSuffix(span.Name(), ".doEmbed")
		},
		expect: expectVercel,
	},
}

func TestGenAIFixtures(t *testing.T) {
	for _, fx := range genaiFixtures {
		t.Run(fx.file, func(t *testing.T) {
			td := readFixture(t, filepath.Join("..", "testdata", "genai", fx.file))
			want := fixtureExpectations(t, fx, td)
			require.NotEmpty(t, want)
			bodyBytes, wireBytes := map[AttributesSend]int{}, map[AttributesSend]int{}
			for _, send := range []AttributesSend{SendAll, SendHelicone} {
				t.Run("send="+string(send), func(t *testing.T) {
					h := newHarness(t, helicone.Options{}, func(cfg *Config) { cfg.Attributes.Send = send })
					batch := ptrace.NewTraces() // the exporter removes the spans it does not send
					td.CopyTo(batch)
					require.NoError(t, h.exp.ConsumeTraces(context.Background(), batch))
					for _, req := range h.server.Requests() {
						require.NoError(t, helicone.ValidateBody(req.Body))
						bodyBytes[send] += len(req.Body)
						wireBytes[send] += req.WireBytes
					}
					calls := h.server.Calls()
					assertCalls(t, want, calls)
					assert.Equal(t, int64(td.SpanCount()-len(want)), h.droppedSpans(t, "not_llm")+h.droppedSpans(t, "wrapper"), "every other span is dropped and counted")
					if send == SendAll {
						t.Logf("dropped: not_llm %d, wrapper %d", h.droppedSpans(t, "not_llm"), h.droppedSpans(t, "wrapper"))
						logFilled(t, td.SpanCount(), want, h.server.Requests())
					}
				})
			}
			t.Logf("body bytes: attributes.send=all %d, helicone %d: %d saved (%.0f%%); gzip on the wire %d -> %d",
				bodyBytes[SendAll], bodyBytes[SendHelicone], bodyBytes[SendAll]-bodyBytes[SendHelicone],
				100*float64(bodyBytes[SendAll]-bodyBytes[SendHelicone])/float64(bodyBytes[SendAll]),
				wireBytes[SendAll], wireBytes[SendHelicone])
		})
	}
}

// fixtureExpectations maps the span id of each LLM span of td to what Helicone should show.
func fixtureExpectations(t *testing.T, fx genaiFixture, td ptrace.Traces) map[string]wantCall {
	want := map[string]wantCall{}
	for i := 0; i < td.ResourceSpans().Len(); i++ {
		rs := td.ResourceSpans().At(i)
		for j := 0; j < rs.ScopeSpans().Len(); j++ {
			ss := rs.ScopeSpans().At(j)
			for k := 0; k < ss.Spans().Len(); k++ {
				span := ss.Spans().At(k)
				if !fx.isLLM(ss.Scope().Name(), span) {
					continue
				}
				w := expectFailure(fx.expect(t, rs.Resource().Attributes(), span), span)
				w.sourceKeys = map[string]bool{}
				for key := range span.Attributes().All() {
					w.sourceKeys[key] = true
				}
				want[span.SpanID().String()] = w
			}
		}
	}
	return want
}

func assertCalls(t *testing.T, want map[string]wantCall, calls []helicone.Call) {
	t.Helper()
	got := map[string]helicone.Call{}
	for _, c := range calls {
		got[c.SpanID] = c
	}
	require.Len(t, calls, len(got), "each span is sent once")
	require.ElementsMatch(t, slices.Collect(maps.Keys(want)), slices.Collect(maps.Keys(got)), "exactly the LLM spans are sent")
	for id, w := range want {
		c := got[id]
		where := c.SpanName + " " + id
		assert.Equal(t, w.provider, c.Provider, "provider of %s", where)
		assert.Equal(t, w.model, c.Model, "model of %s", where)
		assert.Equal(t, w.requestType, c.RequestType, "request type of %s", where)
		assert.Equal(t, w.maxTokens, c.MaxTokens, "max tokens of %s", where)
		assert.Equal(t, w.prompt, c.PromptTokens, "prompt tokens of %s", where)
		assert.Equal(t, w.completion, c.CompletionTokens, "completion tokens of %s", where)
		assert.Equal(t, w.total, c.TotalTokens, "total tokens of %s", where)
		assert.Equal(t, w.user, c.UserID, "user of %s", where)
		assert.Equal(t, w.session, c.SessionID, "session of %s", where)
		assert.Equal(t, w.properties, c.Properties, "properties of %s", where)
		require.Len(t, c.Messages, len(w.messages), "messages of %s", where)
		for i, m := range w.messages {
			assertMessage(t, m, c.Messages[i].Role, c.Messages[i].Content, "", where+" message "+strconv.Itoa(i))
		}
		require.Len(t, c.Choices, len(w.choices), "choices of %s", where)
		for i, m := range w.choices {
			assert.Equal(t, i, c.Choices[i].Index)
			assertMessage(t, m, c.Choices[i].Role, c.Choices[i].Content, c.Choices[i].FinishReason, where+" choice "+strconv.Itoa(i))
		}
	}
}

func assertMessage(t *testing.T, want wantMessage, role, content, finish, where string) {
	t.Helper()
	assert.Equal(t, want.role, role, "role of %s", where)
	assert.Equal(t, want.finish, finish, "finish reason of %s", where)
	if want.contains == nil {
		assert.Equal(t, want.content, content, "content of %s", where)
	}
	for _, s := range want.contains {
		assert.Contains(t, content, s, "content of %s", where)
	}
}

// logFilled reports, per fixture, the spans in and sent and the Helicone fields the
// exporter filled (the keys Helicone reads that the source span did not have).
func logFilled(t *testing.T, spansIn int, want map[string]wantCall, reqs []helicone.Request) {
	filled := map[string]int{}
	for _, req := range reqs {
		var body struct {
			ResourceSpans []struct {
				ScopeSpans []struct {
					Spans []struct {
						SpanID     string                 `json:"spanId"`
						Attributes []struct{ Key string } `json:"attributes"`
					} `json:"spans"`
				} `json:"scopeSpans"`
			} `json:"resourceSpans"`
		}
		require.NoError(t, json.Unmarshal(req.Body, &body))
		for _, rs := range body.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				for _, span := range ss.Spans {
					for _, a := range span.Attributes {
						if want[span.SpanID].sourceKeys[a.Key] || !genai.HeliconeReads(a.Key) {
							continue
						}
						filled[filledField(a.Key)]++
					}
				}
			}
		}
	}
	names := slices.Sorted(maps.Keys(filled))
	var sb strings.Builder
	for _, n := range names {
		sb.WriteString(n + "=" + strconv.Itoa(filled[n]) + " ")
	}
	t.Logf("spans in %d, sent %d; fields filled: %s", spansIn, len(want), sb.String())
}

// filledField names a filled key for the report: gen_ai.prompt.3.content counts as prompt.content.
func filledField(key string) string {
	if g, _, ok := genai.MessageIndex(key); ok {
		return [...]string{"prompt.", "completion."}[g] + key[strings.LastIndexByte(key, '.')+1:]
	}
	return strings.TrimPrefix(key, associationPrefix)
}

// --- expectations per convention, from the fixture's own attributes ---

// expectFailure: a failed call carries an Error property with the exception's type,
// and shows "Error: <type>: <status message>" when it recorded no response.
func expectFailure(w wantCall, span ptrace.Span) wantCall {
	if span.Status().Code() != ptrace.StatusCodeError {
		return w
	}
	errType := "error"
	for _, ev := range span.Events().All() {
		if ev.Name() == "exception" {
			errType = attrStr(ev.Attributes(), "exception.type")
		}
	}
	w.properties["Error"] = errType
	if len(w.choices) == 0 {
		w.choices = []wantMessage{{role: "assistant", finish: "error", content: "Error: " + errType + ": " + span.Status().Message()}}
	}
	return w
}

// commonProperties are the default from_attributes properties plus the span's own
// Helicone-Property-* (OpenLLMetry) or ai.telemetry.metadata.Helicone-Property-* (Vercel).
func commonProperties(res, attrs pcommon.Map, ownPrefix string) map[string]string {
	props := map[string]string{
		"Service":     attrStr(res, "service.name"),
		"Environment": attrStr(res, "deployment.environment.name"),
	}
	for k, v := range attrs.All() {
		if name, ok := strings.CutPrefix(k, ownPrefix+"Helicone-Property-"); ok && ownPrefix != "" {
			props[name] = v.AsString()
		}
	}
	return props
}

func expectOpenLLMetry022(t *testing.T, res pcommon.Map, span ptrace.Span) wantCall {
	a := span.Attributes()
	w := wantCall{
		provider:    strings.ToUpper(attrStr(a, "gen_ai.system")),
		model:       firstStr(a, "gen_ai.response.model", "gen_ai.request.model"),
		requestType: attrStr(a, "llm.request.type"),
		maxTokens:   attrInt(a, "gen_ai.request.max_tokens"),
		prompt:      attrInt(a, "gen_ai.usage.prompt_tokens"),
		completion:  attrInt(a, "gen_ai.usage.completion_tokens"),
		total:       attrInt(a, "llm.usage.total_tokens"),
		user:        attrStr(a, "traceloop.association.properties.Helicone-User-Id"),
		session:     attrStr(a, "traceloop.association.properties.Helicone-Session-Id"),
		properties:  commonProperties(res, a, associationPrefix),
	}
	for i := 0; ; i++ {
		p := "gen_ai.prompt." + strconv.Itoa(i) + "."
		if _, ok := a.Get(p + "role"); !ok {
			break
		}
		w.messages = append(w.messages, wantMessage{role: attrStr(a, p+"role"), content: olContent(t, a, p)})
	}
	for i := 0; ; i++ {
		p := "gen_ai.completion." + strconv.Itoa(i) + "."
		if _, ok := a.Get(p + "role"); !ok {
			break
		}
		w.choices = append(w.choices, wantMessage{role: attrStr(a, p+"role"), content: olContent(t, a, p), finish: attrStr(a, p+"finish_reason")})
	}
	return w
}

// olContent is the text Helicone should show for an OpenLLMetry 0.22 message: its
// Anthropic content blocks one a line, then its OpenAI tool calls.
func olContent(t *testing.T, a pcommon.Map, prefix string) string {
	content := attrStr(a, prefix+"content")
	var blocks []struct {
		Type, Text, ID, Name string
		Input                json.RawMessage
		Content              string
	}
	var lines []string
	if strings.HasPrefix(content, "[") {
		require.NoError(t, json.Unmarshal([]byte(content), &blocks))
		for _, b := range blocks {
			switch b.Type {
			case "text":
				lines = append(lines, b.Text)
			case "tool_use":
				lines = append(lines, "[tool_call "+b.Name+" id="+b.ID+"] "+string(b.Input))
			case "tool_result":
				lines = append(lines, b.Content)
			}
		}
	} else if content != "" {
		lines = append(lines, content)
	}
	for j := 0; ; j++ {
		call := prefix + "tool_calls." + strconv.Itoa(j) + "."
		if _, ok := a.Get(call + "name"); !ok {
			break
		}
		lines = append(lines, "[tool_call "+attrStr(a, call+"name")+"] "+attrStr(a, call+"arguments"))
	}
	return strings.Join(lines, "\n")
}

// semconvMessage is the GenAI conventions' message, as the tests read it.
type semconvMessage struct {
	Role         string `json:"role"`
	FinishReason string `json:"finish_reason"`
	Parts        []struct {
		Type      string          `json:"type"`
		Content   string          `json:"content"`
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
		Response  string          `json:"response"`
	} `json:"parts"`
}

func expectOpenLLMetry027(t *testing.T, res pcommon.Map, span ptrace.Span) wantCall {
	a := span.Attributes()
	w := wantCall{
		provider:    strings.ToUpper(attrStr(a, "gen_ai.provider.name")),
		model:       firstStr(a, "gen_ai.response.model", "gen_ai.request.model"),
		requestType: attrStr(a, "gen_ai.operation.name"), // "chat" in this fixture
		maxTokens:   attrInt(a, "gen_ai.request.max_tokens"),
		prompt:      attrInt(a, "gen_ai.usage.input_tokens"),
		completion:  attrInt(a, "gen_ai.usage.output_tokens"),
		total:       attrInt(a, "gen_ai.usage.total_tokens"),
		user:        attrStr(a, "traceloop.association.properties.Helicone-User-Id"),
		session:     attrStr(a, "traceloop.association.properties.Helicone-Session-Id"),
		properties:  commonProperties(res, a, associationPrefix),
	}
	if s := attrStr(a, "gen_ai.system_instructions"); s != "" {
		var parts []struct{ Content string }
		require.NoError(t, json.Unmarshal([]byte(s), &parts))
		var texts []string
		for _, p := range parts {
			texts = append(texts, p.Content)
		}
		w.messages = append(w.messages, wantMessage{role: "system", content: strings.Join(texts, "\n")})
	}
	var in, out []semconvMessage
	require.NoError(t, json.Unmarshal([]byte(attrStr(a, "gen_ai.input.messages")), &in))
	for _, m := range in {
		w.messages = append(w.messages, semconvWant(t, m))
	}
	if s := attrStr(a, "gen_ai.output.messages"); s != "" {
		require.NoError(t, json.Unmarshal([]byte(s), &out))
	}
	for _, m := range out {
		c := semconvWant(t, m)
		c.finish = m.FinishReason
		w.choices = append(w.choices, c)
	}
	return w
}

// semconvWant: text parts are the content, one a line; a tool call shows its name and
// arguments; a tool response is shown as it is.
func semconvWant(t *testing.T, m semconvMessage) wantMessage {
	w := wantMessage{role: m.Role}
	var texts []string
	for _, p := range m.Parts {
		switch p.Type {
		case "text":
			texts = append(texts, p.Content)
			w.contains = appendIfSet(w.contains, p.Content)
		case "tool_call":
			w.contains = append(w.contains, p.Name, compactJSON(t, p.Arguments))
		case "tool_call_response":
			texts = append(texts, p.Response)
			w.contains = append(w.contains, p.Response)
		default:
			t.Fatalf("part type %q: extend the test", p.Type)
		}
	}
	if len(texts) == len(m.Parts) { // only text: exact
		w.content, w.contains = strings.Join(texts, "\n"), nil
	}
	return w
}

func expectOpenInference(t *testing.T, res pcommon.Map, span ptrace.Span) wantCall {
	a := span.Attributes()
	w := wantCall{
		provider:   strings.ToUpper(attrStr(a, "llm.system")),
		model:      firstStr(a, "llm.model_name", "embedding.model_name"),
		prompt:     attrInt(a, "llm.token_count.prompt"),
		completion: attrInt(a, "llm.token_count.completion"),
		total:      attrInt(a, "llm.token_count.total"),
		user:       attrStr(a, "user.id"),
		session:    attrStr(a, "session.id"),
		properties: commonProperties(res, a, ""), // metadata is not a property source
	}
	w.requestType = map[string]string{"LLM": "chat", "EMBEDDING": "embedding"}[attrStr(a, "openinference.span.kind")]
	if params := attrStr(a, "llm.invocation_parameters"); params != "" {
		var p map[string]any
		require.NoError(t, json.Unmarshal([]byte(params), &p))
		for _, k := range []string{"max_tokens", "max_output_tokens"} {
			if n, ok := p[k].(float64); ok {
				w.maxTokens = ptr(int64(n))
			}
		}
	}
	for i := 0; ; i++ {
		p := "embedding.embeddings." + strconv.Itoa(i) + ".embedding.text"
		text, ok := a.Get(p)
		if !ok {
			break
		}
		w.messages = append(w.messages, wantMessage{role: "user", content: text.Str()})
	}
	w.messages = append(w.messages, openInferenceWant(a, "llm.input_messages.", "")...)
	w.choices = openInferenceWant(a, "llm.output_messages.", attrStr(a, "llm.finish_reason"))
	return w
}

func openInferenceWant(a pcommon.Map, prefix, finish string) []wantMessage {
	var out []wantMessage
	for i := 0; ; i++ {
		p := prefix + strconv.Itoa(i) + ".message."
		role, ok := a.Get(p + "role")
		if !ok {
			return out
		}
		w := wantMessage{role: role.Str(), content: attrStr(a, p+"content"), finish: finish}
		if text := attrStr(a, p+"contents.0.message_content.text"); text != "" {
			w.content = text
		}
		if name := attrStr(a, p+"tool_calls.0.tool_call.function.name"); name != "" {
			w.contains = []string{name, attrStr(a, p+"tool_calls.0.tool_call.function.arguments")}
		}
		out = append(out, w)
	}
}

// vercelMessage is an ai.prompt.messages item, as the tests read it.
type vercelMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

func expectVercel(t *testing.T, res pcommon.Map, span ptrace.Span) wantCall {
	a := span.Attributes()
	provider, _, _ := strings.Cut(attrStr(a, "ai.model.provider"), ".")
	w := wantCall{
		provider:   strings.ToUpper(provider),
		model:      firstStr(a, "ai.response.model", "ai.model.id"),
		maxTokens:  attrInt(a, "ai.settings.maxOutputTokens"),
		prompt:     attrInt(a, "ai.usage.inputTokens"),
		completion: attrInt(a, "ai.usage.outputTokens"),
		total:      attrInt(a, "ai.usage.totalTokens"),
		user:       attrStr(a, "ai.telemetry.metadata.userId"),
		session:    attrStr(a, "ai.telemetry.metadata.sessionId"),
		properties: commonProperties(res, a, "ai.telemetry.metadata."),
	}
	w.requestType = "chat"
	if strings.HasSuffix(span.Name(), ".doEmbed") {
		// An embedding has no completion tokens; its ai.usage.tokens are the input.
		w.requestType, w.prompt, w.completion, w.total = "embedding", attrInt(a, "ai.usage.tokens"), ptr(int64(0)), attrInt(a, "ai.usage.tokens")
		values, _ := a.Get("ai.values")
		for _, v := range values.Slice().All() {
			var text string
			require.NoError(t, json.Unmarshal([]byte(v.Str()), &text))
			w.messages = append(w.messages, wantMessage{role: "user", content: text})
		}
		return w
	}
	var msgs []vercelMessage
	require.NoError(t, json.Unmarshal([]byte(attrStr(a, "ai.prompt.messages")), &msgs))
	for _, m := range msgs {
		w.messages = append(w.messages, vercelWant(t, m))
	}
	_, hasText := a.Get("ai.response.text")
	calls := attrStr(a, "ai.response.toolCalls")
	if hasText || calls != "" {
		c := wantMessage{role: "assistant", content: attrStr(a, "ai.response.text"), finish: attrStr(a, "ai.response.finishReason")}
		if calls != "" {
			var tcs []struct{ ToolName, Input string }
			require.NoError(t, json.Unmarshal([]byte(calls), &tcs))
			for _, tc := range tcs {
				c.contains = append(c.contains, tc.ToolName, tc.Input)
			}
		}
		w.choices = append(w.choices, c)
	}
	return w
}

func vercelWant(t *testing.T, m vercelMessage) wantMessage {
	w := wantMessage{role: m.Role}
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		w.content = s
		return w
	}
	var parts []struct {
		Type     string          `json:"type"`
		Text     string          `json:"text"`
		ToolName string          `json:"toolName"`
		Input    json.RawMessage `json:"input"`
		Output   struct {
			Value json.RawMessage `json:"value"`
		} `json:"output"`
	}
	require.NoError(t, json.Unmarshal(m.Content, &parts))
	var texts []string
	for _, p := range parts {
		switch p.Type {
		case "text":
			texts = append(texts, p.Text)
		case "tool-call":
			w.contains = append(w.contains, p.ToolName, compactJSON(t, p.Input))
		case "tool-result":
			texts = append(texts, compactJSON(t, p.Output.Value))
		default:
			t.Fatalf("part type %q: extend the test", p.Type)
		}
	}
	if len(texts) == len(parts) {
		w.content = strings.Join(texts, "\n")
	}
	return w
}

// --- small helpers ---

func attrStr(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok {
		return v.AsString()
	}
	return ""
}

func attrInt(m pcommon.Map, key string) *int64 {
	if v, ok := m.Get(key); ok && v.Type() == pcommon.ValueTypeInt {
		return ptr(v.Int())
	}
	return nil
}

func firstStr(m pcommon.Map, keys ...string) string {
	for _, k := range keys {
		if s := attrStr(m, k); s != "" {
			return s
		}
	}
	return ""
}

func compactJSON(t *testing.T, raw json.RawMessage) string {
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, raw))
	return b.String()
}

func appendIfSet(list []string, s string) []string {
	if s == "" {
		return list
	}
	return append(list, s)
}

func ptr[T any](v T) *T { return &v }
