package groundtruth

import (
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// Check is one thing a Helicone user should see right about a call.
type Check string

// The checks, in table order. Each applies to a call only where the server's
// record says what to expect (a response text, tool calls, tokens, a failure).
const (
	CheckOnce      Check = "once"      // its span arrived exactly once
	CheckProvider  Check = "provider"  // the model vendor of the API called
	CheckModel     Check = "model"     // the model asked for (or a dated snapshot of it)
	CheckMessages  Check = "messages"  // every message sent: role and text, in order
	CheckResponse  Check = "response"  // the response text, as text and not raw JSON
	CheckToolCalls Check = "toolcalls" // each tool call's name and arguments, not raw JSON
	CheckTokens    Check = "tokens"    // prompt and completion tokens as recorded, where the span counted them
	CheckFailure   Check = "failure"   // a failed call carries an error property and shows the error
)

// Checks lists every check in table order.
var Checks = []Check{CheckOnce, CheckProvider, CheckModel, CheckMessages, CheckResponse, CheckToolCalls, CheckTokens, CheckFailure}

// SuiteResult is the score of one suite.
type SuiteResult struct {
	Suite string
	// Calls is how many calls the server answered; Recorded how many of them
	// a span recorded; Arrived how many of those spans reached Helicone.
	Calls, Recorded, Arrived int
	// Passed and Applied count, per check, the calls that passed it and the
	// calls it applied to.
	Passed, Applied map[Check]int
	// Duplicates is how many request logs repeated a span already logged.
	Duplicates int
	// NonLLM names the spans that arrived without recording any call.
	NonLLM []string
	// Failures says, per failed check, which call and what was seen.
	Failures []Failure
}

// Failure is one failed check of one call.
type Failure struct {
	Line   int // the call's line in calls.jsonl
	Check  Check
	Detail string
}

func (f Failure) String() string {
	return fmt.Sprintf("calls.jsonl:%d %s: %s", f.Line, f.Check, f.Detail)
}

// Score judges what arrived (the calls Helicone logged for td) against the
// server's record of the suite's calls.
func Score(suite string, calls []RecordedCall, offset int64, td ptrace.Traces, arrived []helicone.Call) SuiteResult {
	res := SuiteResult{Suite: suite, Calls: len(calls), Passed: map[Check]int{}, Applied: map[Check]int{}}
	bySpan := map[string][]helicone.Call{}
	for _, c := range arrived {
		key := c.TraceID + "/" + c.SpanID
		if len(bySpan[key]) > 0 {
			res.Duplicates++
		}
		bySpan[key] = append(bySpan[key], c)
	}
	recorded := map[string]bool{}
	for _, m := range matchSpans(calls, offset, td) {
		if !m.ok {
			continue
		}
		res.Recorded++
		key := m.span.TraceID().String() + "/" + m.span.SpanID().String()
		recorded[key] = true
		got := bySpan[key]
		if len(got) > 0 {
			res.Arrived++
		}
		for _, o := range judgeCall(m, got) {
			res.Applied[o.check]++
			if o.detail == "" {
				res.Passed[o.check]++
			} else {
				res.Failures = append(res.Failures, Failure{Line: m.call.Line, Check: o.check, Detail: o.detail})
			}
		}
	}
	for _, c := range arrived {
		if !recorded[c.TraceID+"/"+c.SpanID] {
			res.NonLLM = append(res.NonLLM, fmt.Sprintf("%s (span %s)", c.SpanName, c.SpanID))
		}
	}
	return res
}

// outcome is one applicable check of a call: passed when detail is empty.
type outcome struct {
	check  Check
	detail string
}

// judgeCall scores one recorded call against the request logs of its span.
func judgeCall(m matched, got []helicone.Call) []outcome {
	c := m.call
	var out []outcome
	add := func(check Check, detail string) { out = append(out, outcome{check, detail}) }
	switch len(got) {
	case 1:
		add(CheckOnce, "")
	case 0:
		add(CheckOnce, fmt.Sprintf("span %q (%s) did not arrive", m.span.Name(), m.span.SpanID()))
	default:
		add(CheckOnce, fmt.Sprintf("span %q arrived %d times", m.span.Name(), len(got)))
	}
	var h helicone.Call
	if len(got) > 0 {
		h = got[0]
	}
	text := responseText(h)

	add(CheckProvider, expectEqual("provider", provider(c.API), h.Provider))
	if h.Model == c.Model || strings.HasPrefix(h.Model, c.Model+"-") {
		add(CheckModel, "")
	} else {
		add(CheckModel, fmt.Sprintf("model %q, want %q", h.Model, c.Model))
	}
	add(CheckMessages, judgeMessages(c.Messages, h.Messages))
	if !c.Failed() && c.ResponseText != "" && !strings.HasSuffix(c.API, ".embeddings") {
		if shows(text, c.ResponseText) {
			add(CheckResponse, "")
		} else {
			add(CheckResponse, fmt.Sprintf("response %q, want %q", clip(text), clip(c.ResponseText)))
		}
	}
	if len(c.ToolCalls) > 0 {
		add(CheckToolCalls, judgeToolCalls(c.ToolCalls, text))
	}
	if _, spanCounted := spanTokens(m.span.Attributes(), inputTokenKeys); spanCounted && !c.Failed() && c.PromptTokens != nil {
		add(CheckTokens, judgeTokens(m, h))
	}
	if c.Failed() {
		add(CheckFailure, judgeFailure(h, text))
	}
	return out
}

// provider is the Helicone provider of an API the server answered, e.g.
// OPENAI for openai.chat.
func provider(api string) string {
	vendor, _, _ := strings.Cut(api, ".")
	return strings.ToUpper(vendor)
}

func expectEqual(what, want, got string) string {
	if got == want {
		return ""
	}
	return fmt.Sprintf("%s %q, want %q", what, got, want)
}

// responseText is what Helicone shows as the response: every choice's text.
func responseText(h helicone.Call) string {
	texts := make([]string, len(h.Choices))
	for i, ch := range h.Choices {
		texts[i] = ch.Content
	}
	return strings.Join(texts, "\n")
}

func judgeMessages(want []RecordedMessage, got []helicone.Message) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d messages (%s), want %d (%s)", len(got), gotRoles(got), len(want), wantRoles(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Role != w.Role {
			return fmt.Sprintf("message %d role %q, want %q", i, g.Role, w.Role)
		}
		if !shows(g.Content, w.Text) {
			return fmt.Sprintf("message %d (%s) %q, want %q", i, w.Role, clip(g.Content), clip(w.Text))
		}
	}
	return ""
}

func gotRoles(msgs []helicone.Message) string {
	roles := make([]string, len(msgs))
	for i, m := range msgs {
		roles[i] = m.Role
	}
	return strings.Join(roles, ",")
}

func wantRoles(msgs []RecordedMessage) string {
	roles := make([]string, len(msgs))
	for i, m := range msgs {
		roles[i] = m.Role
	}
	return strings.Join(roles, ",")
}

func judgeToolCalls(want []RecordedToolCall, text string) string {
	if isJSONDoc(text) {
		return fmt.Sprintf("response is raw JSON: %q", clip(text))
	}
	g := squeeze(text)
	for _, tc := range want {
		if !showsCall(g, tc.Name, tc.Arguments) {
			return fmt.Sprintf("tool call %s(%s) not in response %q", tc.Name, tc.Arguments, clip(text))
		}
	}
	return ""
}

// judgeTokens compares Helicone's counts with the server's; a streamed call
// may instead carry the instrumentation's own estimate, as its span recorded.
// It applies only where the span recorded counts: an instrumentation that
// records none (OpenInference when streaming) leaves nothing to send.
func judgeTokens(m matched, h helicone.Call) string {
	c := m.call
	wantIn, wantOut := *c.PromptTokens, int64(0)
	if c.CompletionTokens != nil {
		wantOut = *c.CompletionTokens
	}
	gotIn, gotOut := count(h.PromptTokens), count(h.CompletionTokens)
	if gotIn == wantIn && gotOut == wantOut {
		return ""
	}
	if c.Stream {
		in, okIn := spanTokens(m.span.Attributes(), inputTokenKeys)
		out, okOut := spanTokens(m.span.Attributes(), outputTokenKeys)
		if okIn && okOut && gotIn == in && gotOut == out {
			return ""
		}
	}
	return fmt.Sprintf("tokens %d/%d, want %d/%d", gotIn, gotOut, wantIn, wantOut)
}

// count reads a Helicone token count; one not sent shows as 0.
func count(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// judgeFailure wants a failed call marked: a Helicone property whose name
// says error, and a response that is not empty (the error, not a blank success).
func judgeFailure(h helicone.Call, text string) string {
	var marked bool
	for name, v := range h.Properties {
		if strings.Contains(strings.ToLower(name), "error") && v != "" {
			marked = true
		}
	}
	switch {
	case !marked && strings.TrimSpace(text) == "":
		return "no error property, empty response: looks like a success"
	case !marked:
		return fmt.Sprintf("no error property (properties %v)", h.Properties)
	case strings.TrimSpace(text) == "":
		return "error property but the response is empty"
	}
	return ""
}
