package e2e

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// defaultConfig is what `make run` starts.
var defaultConfig = configFile("otelcol-helicone.yaml")

// configFile is the path of one of the configurations in config/.
func configFile(name string) string { return filepath.Join(root, "config", name) }

// startShippedCollector runs config (one of config/) on free ports,
// exporting to endpoint, the way scripts/run.sh does, with env added.
func startShippedCollector(t *testing.T, config, endpoint string, env ...string) *collector {
	t.Helper()
	p := freePorts(t)
	return startCollector(t, config, p, append([]string{
		"OTLP_GRPC_ENDPOINT=" + p.GRPC,
		"OTLP_HTTP_ENDPOINT=" + p.HTTP,
		"HEALTH_CHECK_ENDPOINT=" + p.Health,
		"HELICONE_ENDPOINT=" + endpoint,
		"HELICONE_API_KEY=" + apiKey,
	}, env...)...)
}

// TestLLMSpansReachHelicone sends the demo traces over each OTLP protocol
// through the default configuration and checks what Helicone logged: every
// LLM call exactly once, with the provider, model, messages, tokens, user,
// session and properties it was recorded with, in schema-valid requests;
// and none of the HTTP and database spans around the calls.
func TestLLMSpansReachHelicone(t *testing.T) {
	for _, protocol := range []llmspans.Protocol{llmspans.GRPC, llmspans.HTTP} {
		t.Run(string(protocol), func(t *testing.T) {
			t.Parallel()
			srv := startFakeHelicone(t, helicone.Faults{})
			col := startShippedCollector(t, defaultConfig, srv.URL())
			endpoint := col.grpc
			if protocol == llmspans.HTTP {
				endpoint = col.http
			}

			sent := send(t, protocol, endpoint, repeat(llmspans.Demo(), 3))
			llm := ofKind(sent, llmspans.KindLLM)
			if len(llm) == 0 || len(llm) == len(sent) {
				t.Fatalf("the demo traces must mix LLM and other spans; got %d LLM of %d", len(llm), len(sent))
			}
			if err := srv.WaitForSpans(testContext(t, 30*time.Second), len(llm)); err != nil {
				t.Fatalf("Helicone logged %d of %d LLM spans: %v", srv.SpanCount(), len(llm), err)
			}
			// Stopping drains the collector: whatever else it would send, it has sent.
			col.stop(t, 30*time.Second)

			checkRequests(t, srv)
			checkCalls(t, srv.Calls(), sent)
			if srv.Duplicates() != 0 {
				t.Errorf("Helicone logged %d duplicate spans", srv.Duplicates())
			}
		})
	}
}

// checkRequests asserts that every request reached Helicone authenticated
// and was logged: none was rejected (e.g. 422 for a schema violation).
func checkRequests(t *testing.T, srv *fakeHelicone) {
	t.Helper()
	if r := srv.Rejected(); len(r) > 0 {
		t.Errorf("Helicone rejected %d request(s):\n%s", len(r), strings.Join(r, "\n"))
	}
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("Helicone received no request")
	}
	for i, r := range reqs {
		if got := r.Header.Get("Authorization"); got != "Bearer "+apiKey {
			t.Errorf("request %d: Authorization %q, want the key from HELICONE_API_KEY as a bearer token", i, got)
		}
		if err := helicone.ValidateBody(r.Body); err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
}

// checkCalls asserts that calls are exactly the LLM spans of sent, once each,
// each read by Helicone as the chat it records.
func checkCalls(t *testing.T, calls []helicone.Call, sent []llmspans.Emitted) {
	t.Helper()
	byID := map[string]llmspans.Emitted{}
	for _, s := range sent {
		byID[s.TraceID+"/"+s.SpanID] = s
	}
	seen := map[string]int{}
	for _, c := range calls {
		id := c.TraceID + "/" + c.SpanID
		seen[id]++
		s, ok := byID[id]
		switch {
		case !ok:
			t.Errorf("Helicone logged span %s (%q), which the test did not send", id, c.SpanName)
		case s.Kind != llmspans.KindLLM:
			t.Errorf("Helicone logged the %s span %q: only LLM calls must reach it", s.Kind, s.Name)
		default:
			checkCall(t, c, *s.Chat)
		}
	}
	for _, s := range ofKind(sent, llmspans.KindLLM) {
		if n := seen[s.TraceID+"/"+s.SpanID]; n != 1 {
			t.Errorf("LLM span %q (%s/%s) logged %d times, want once", s.Name, s.TraceID, s.SpanID, n)
		}
	}
}

// checkCall compares what Helicone read from a span with the chat recorded
// in it. Spans in the newer GenAI conventions are only readable after the
// exporter mapped them, so the same expectations hold for both.
func checkCall(t *testing.T, c helicone.Call, chat llmspans.Chat) {
	t.Helper()
	where := c.SpanName + " (" + chat.Convention.String() + ", " + c.SpanID + ")"
	if want := strings.ToUpper(chat.Provider); c.Provider != want {
		t.Errorf("%s: provider %q, want %q", where, c.Provider, want)
	}
	if c.Model != chat.ResponseModel {
		t.Errorf("%s: model %q, want %q", where, c.Model, chat.ResponseModel)
	}
	var msgs []llmspans.Message
	for _, m := range c.Messages {
		msgs = append(msgs, llmspans.Message{Role: m.Role, Content: m.Content})
	}
	if !slices.Equal(msgs, chat.Messages) {
		t.Errorf("%s: messages\n  %q\nwant\n  %q", where, msgs, chat.Messages)
	}
	want := []helicone.Choice{{Index: 0, Role: chat.Output.Role, Content: chat.Output.Content, FinishReason: chat.FinishReason}}
	if !slices.Equal(c.Choices, want) {
		t.Errorf("%s: choices\n  %+v\nwant\n  %+v", where, c.Choices, want)
	}
	checkCount(t, where, "prompt tokens", c.PromptTokens, chat.InputTokens)
	checkCount(t, where, "completion tokens", c.CompletionTokens, chat.OutputTokens)
	if chat.Convention == llmspans.OpenLLMetry {
		checkCount(t, where, "total tokens", c.TotalTokens, chat.TotalTokens())
		if c.RequestType != "chat" {
			t.Errorf("%s: request type %q, want chat", where, c.RequestType)
		}
	}
	if c.UserID != chat.UserID {
		t.Errorf("%s: user %q, want %q", where, c.UserID, chat.UserID)
	}
	if c.SessionID != chat.SessionID {
		t.Errorf("%s: session %q, want %q", where, c.SessionID, chat.SessionID)
	}
	for _, k := range slices.Sorted(maps.Keys(chat.Properties)) {
		if got, ok := c.Properties[k]; !ok || got != chat.Properties[k] {
			t.Errorf("%s: property %s = %q (set: %v), want %q", where, k, got, ok, chat.Properties[k])
		}
	}
	if got, want := c.Duration(), chat.Latency; got != want {
		t.Errorf("%s: latency %s, want %s (the span's own times)", where, got, want)
	}
}

func checkCount(t *testing.T, where, what string, got *int64, want int64) {
	t.Helper()
	switch {
	case got == nil:
		t.Errorf("%s: %s missing, want %d", where, what, want)
	case *got != want:
		t.Errorf("%s: %s %d, want %d", where, what, *got, want)
	}
}
