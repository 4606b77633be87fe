package logjoin

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

const wait = 10 * time.Second

func newJoiner(t testing.TB, c *clock, mutate func(*Config)) *Joiner {
	t.Helper()
	cfg := DefaultConfig()
	cfg.MaxWait = wait
	if mutate != nil {
		mutate(&cfg)
	}
	j, err := New(cfg, c.now)
	require.NoError(t, err)
	return j
}

func TestSpanWaitsForItsRecords(t *testing.T) {
	j := newJoiner(t, newClock(), nil)
	in := traces(chatSpan(1), plainSpan(2, "handle /chat"))
	out := j.AddTraces(in)
	assert.Equal(t, map[string][]string{"handle /chat 0202000000000000": {}}, spansOf(out), "the span with content to come waits, the rest goes on")
	assert.Equal(t, 2, in.SpanCount(), "the caller's batch is not modified")

	out = j.AddLogs(logs(userMessage(1, "What is OpenTelemetry?", 100)))
	assert.Zero(t, out.SpanCount(), "a prompt alone does not complete the call")
	out = j.AddLogs(logs(choice(1, "A set of APIs.", 200)))
	assert.Equal(t, map[string][]string{"chat gpt-4o-mini 0201000000000000": {EventUserMessage, EventChoice}}, spansOf(out))

	s := j.Stats()
	assert.Equal(t, int64(2), s.Joined)
	assert.Equal(t, int64(1), s.Released[ReleaseComplete])
	assert.Zero(t, s.HeldSpans+s.HeldRecords+s.HeldBytes, "nothing held once joined")
}

func TestRecordsBeforeTheirSpan(t *testing.T) {
	j := newJoiner(t, newClock(), nil)
	// Records of one call can arrive out of order across export batches.
	require.Zero(t, j.AddLogs(logs(choice(1, "A set of APIs.", 200), userMessage(1, "What is OpenTelemetry?", 100))).SpanCount())
	require.Equal(t, 2, j.Stats().HeldRecords)
	out := j.AddTraces(traces(chatSpan(1)))
	assert.Equal(t, map[string][]string{"chat gpt-4o-mini 0201000000000000": {EventUserMessage, EventChoice}}, spansOf(out), "joined at once, in time order")
	assert.Zero(t, j.Stats().HeldRecords)
}

func TestRecordsOfASpanThatDoesNotWait(t *testing.T) {
	j := newJoiner(t, newClock(), nil)
	j.AddLogs(logs(userMessage(2, "hi", 1)))
	out := j.AddTraces(traces(plainSpan(2, "agent")))
	assert.Equal(t, map[string][]string{"agent 0202000000000000": {EventUserMessage}}, spansOf(out), "held records join any span they belong to")
}

func TestNothingWaitsPastMaxWait(t *testing.T) {
	c := newClock()
	j := newJoiner(t, c, nil)
	j.AddTraces(traces(chatSpan(1)))
	c.advance(time.Second)
	j.AddLogs(logs(userMessage(1, "hi", 1), userMessage(9, "orphan", 2)))

	c.advance(wait - time.Second - time.Nanosecond)
	require.Zero(t, j.Expire().SpanCount(), "not before the deadline")
	c.advance(time.Nanosecond)
	out := j.Expire()
	assert.Equal(t, map[string][]string{"chat gpt-4o-mini 0201000000000000": {EventUserMessage}}, spansOf(out), "released with what it has")
	s := j.Stats()
	assert.Equal(t, int64(1), s.Released[ReleaseExpired])
	assert.Zero(t, s.Dropped[DropExpired], "the orphan came a second later")

	c.advance(time.Second)
	out = j.AddTraces(traces(plainSpan(3, "handle /x")))
	assert.Equal(t, 1, out.SpanCount(), "expiry also runs on every call")
	s = j.Stats()
	assert.Equal(t, int64(1), s.Dropped[DropExpired])
	assert.Zero(t, s.HeldSpans+s.HeldRecords+s.HeldBytes)
}

func TestMemoryBoundedByCount(t *testing.T) {
	j := newJoiner(t, newClock(), func(c *Config) { c.MaxItems = 3 })
	for i := byte(10); i < 14; i++ {
		j.AddLogs(logs(userMessage(i, "hi", int64(i))))
	}
	s := j.Stats()
	assert.Equal(t, 3, s.HeldRecords)
	assert.Equal(t, int64(1), s.Dropped[DropOverBudget])

	// Spans are released early, never dropped: the oldest items go first.
	out := j.AddTraces(traces(chatSpan(1), chatSpan(2), chatSpan(3), chatSpan(4)))
	assert.Equal(t, map[string][]string{"chat gpt-4o-mini 0201000000000000": {}}, spansOf(out), "the first span goes out when the fourth needs room")
	s = j.Stats()
	assert.Equal(t, int64(4), s.Dropped[DropOverBudget], "the three older records went first")
	assert.Equal(t, int64(1), s.Released[ReleaseOverBudget])
	assert.Equal(t, 3, s.HeldSpans)
	assert.Equal(t, 3, j.Flush().SpanCount())
}

func TestMemoryBoundedByBytes(t *testing.T) {
	j := newJoiner(t, newClock(), func(c *Config) { c.MaxBytes = 4096 })
	big := string(make([]byte, 5000))
	j.AddLogs(logs(userMessage(1, big, 1)))
	s := j.Stats()
	assert.Equal(t, int64(1), s.Dropped[DropOverBudget], "a record larger than the budget is not held")
	assert.Zero(t, s.HeldBytes)

	j.AddLogs(logs(userMessage(1, "small", 1)))
	assert.Positive(t, j.Stats().HeldBytes)
	assert.LessOrEqual(t, j.Stats().HeldBytes, 4096)
}

func TestFlushReturnsEverySpan(t *testing.T) {
	j := newJoiner(t, newClock(), nil)
	j.AddTraces(traces(chatSpan(1), chatSpan(2)))
	j.AddLogs(logs(userMessage(2, "hi", 1), userMessage(7, "orphan", 1)))
	out := j.Flush()
	assert.Equal(t, map[string][]string{
		"chat gpt-4o-mini 0201000000000000": {},
		"chat gpt-4o-mini 0202000000000000": {EventUserMessage},
	}, spansOf(out))
	s := j.Stats()
	assert.Equal(t, int64(2), s.Released[ReleaseFlushed])
	assert.Equal(t, int64(1), s.Dropped[DropShutdown])
	assert.Zero(t, s.HeldSpans+s.HeldRecords+s.HeldBytes)
	assert.Zero(t, j.Flush().SpanCount())
}

func TestRecordsCountedByReason(t *testing.T) {
	j := newJoiner(t, newClock(), nil)
	j.AddLogs(logs(
		record{span: 1, name: "", body: "GET /chat 200"},
		record{span: 1, name: "gen_ai.evaluation.result", attrs: map[string]any{"gen_ai.evaluation.name": "relevance"}},
		record{span: 0, name: EventUserMessage, body: map[string]any{"content": "no span"}},
		record{span: 1, name: EventUserMessage, body: map[string]any{"content": "old SDK"}, nameInKey: true},
	))
	s := j.Stats()
	assert.Equal(t, int64(2), s.Ignored[IgnoreNotContent])
	assert.Equal(t, int64(1), s.Dropped[DropNoSpan])
	assert.Equal(t, 1, s.HeldRecords, "event.name as an attribute counts")
}

func TestWhichSpansWait(t *testing.T) {
	withAttr := func(k, v string) func(ptrace.Span) {
		return func(s ptrace.Span) { chatSpan(1)(s); s.Attributes().PutStr(k, v) }
	}
	for name, tc := range map[string]struct {
		span  func(ptrace.Span)
		waits bool
	}{
		"chat without content":  {chatSpan(1), true},
		"semconv 1.37 messages": {withAttr("gen_ai.input.messages", `[{"role":"user","parts":[]}]`), false},
		"OpenLLMetry prompts":   {withAttr("gen_ai.prompt.0.content", "hi"), false},
		"embeddings":            {withAttr("gen_ai.operation.name", "embeddings"), false},
		"agent":                 {withAttr("gen_ai.operation.name", "invoke_agent"), false},
		"HTTP":                  {plainSpan(1, "GET"), false},
		"content span event": {func(s ptrace.Span) {
			chatSpan(1)(s)
			s.Events().AppendEmpty().SetName(EventDetails)
		}, false},
		"no operation, system and model": {func(s ptrace.Span) {
			chatSpan(1)(s)
			s.Attributes().Remove("gen_ai.operation.name")
		}, true},
	} {
		td := traces(tc.span)
		assert.Equal(t, tc.waits, LLMWithoutContent(td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)), name)
	}
}

func TestAddTracesPassesABatchThroughUntouched(t *testing.T) {
	j := newJoiner(t, newClock(), nil)
	in := traces(plainSpan(1, "GET"), plainSpan(2, "SELECT"))
	assert.Equal(t, in, j.AddTraces(in), "no copy when nothing waits or joins")
}

func TestConfigValidate(t *testing.T) {
	_, err := New(Config{}, nil)
	require.Error(t, err)
	for _, key := range []string{"max_wait", "max_items", "max_bytes"} {
		assert.ErrorContains(t, err, key)
	}
	require.NoError(t, DefaultConfig().Validate())
}

// Spans and records from concurrent pipelines: every span comes out exactly
// once, and every content record is joined or counted as dropped.
func TestConcurrentPipelines(t *testing.T) {
	c := newClock()
	j := newJoiner(t, c, func(cfg *Config) { cfg.MaxItems = 50 })
	const workers, perWorker = 4, 40
	var mu sync.Mutex
	seen := map[string]int{}
	collect := func(td ptrace.Traces) {
		mu.Lock()
		defer mu.Unlock()
		for name := range spansOf(td) {
			seen[name]++
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(3)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				collect(j.AddTraces(traces(chatSpan(byte(w*perWorker + i)))))
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				n := byte(w*perWorker + i)
				collect(j.AddLogs(logs(userMessage(n, fmt.Sprint("q", n), 1), choice(n, "a", 2))))
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				c.advance(time.Second)
				collect(j.Expire())
			}
		}()
	}
	wg.Wait()
	collect(j.Flush())
	assert.Len(t, seen, workers*perWorker)
	for name, n := range seen {
		assert.Equal(t, 1, n, "span %s", name)
	}
	s := j.Stats()
	var dropped int64
	for _, n := range s.Dropped {
		dropped += n
	}
	assert.Equal(t, int64(2*workers*perWorker), s.Joined+dropped)
	assert.Zero(t, s.HeldSpans+s.HeldRecords+s.HeldBytes)
}

// Real traces of every instrumentation in the fixtures carry their content on
// the span: none of their calls may wait, except a call that failed before
// its instrumentation recorded any message.
func TestFixtureSpansDoNotWait(t *testing.T) {
	files, err := filepath.Glob("../../testdata/genai-truth/*.traces.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var waiting []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(raw)
		require.NoError(t, err)
		for _, rs := range td.ResourceSpans().All() {
			for _, ss := range rs.ScopeSpans().All() {
				for _, s := range ss.Spans().All() {
					if LLMWithoutContent(s) {
						waiting = append(waiting, filepath.Base(f)+" "+s.Name())
					}
				}
			}
		}
	}
	assert.Equal(t, []string{"pydantic-ai.traces.json chat fail-model-does-not-exist"}, waiting)
}

// A span sent twice (an upstream retry) waits twice; the copy that waits
// longer still gets its records.
func TestSpanSentTwice(t *testing.T) {
	c := newClock()
	j := newJoiner(t, c, nil)
	j.AddTraces(traces(chatSpan(1)))
	c.advance(wait / 2)
	j.AddTraces(traces(chatSpan(1)))
	c.advance(wait / 2)
	require.Equal(t, 1, j.Expire().SpanCount(), "the first copy expires")
	out := j.AddLogs(logs(choice(1, "late but in time for the second", 1)))
	assert.Equal(t, map[string][]string{"chat gpt-4o-mini 0201000000000000": {EventChoice}}, spansOf(out))
	assert.Zero(t, j.Stats().HeldSpans)
}
