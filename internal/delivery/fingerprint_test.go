package delivery

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// The persistent queue stores batches as protobuf: the fingerprint must
// come back the same.
func TestFingerprintSurvivesTheQueueRoundTrip(t *testing.T) {
	td := batch(1, 100)
	b, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	require.NoError(t, err)
	back, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(b)
	require.NoError(t, err)
	require.Equal(t, FingerprintOf(td), FingerprintOf(back))
	require.Equal(t, FingerprintOf(td), FingerprintOf(batch(1, 100)), "same content, built again")
}

func TestFingerprintSeesEveryIdentity(t *testing.T) {
	base := FingerprintOf(batch(1, 10))
	span3 := func(td ptrace.Traces) ptrace.Span { return td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(1) }
	for name, edit := range map[string]func(ptrace.Traces){
		"span id":    func(td ptrace.Traces) { span3(td).SetSpanID(pcommon.SpanID{9}) },
		"trace id":   func(td ptrace.Traces) { span3(td).SetTraceID(pcommon.TraceID{9}) },
		"start time": func(td ptrace.Traces) { span3(td).SetStartTimestamp(span3(td).StartTimestamp() + 1) },
		"one more":   func(td ptrace.Traces) { td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().AppendEmpty() },
		"order": func(td ptrace.Traces) {
			spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
			a, b := ptrace.NewSpan(), ptrace.NewSpan()
			spans.At(0).CopyTo(a)
			spans.At(1).CopyTo(b)
			b.CopyTo(spans.At(0))
			a.CopyTo(spans.At(1))
		},
	} {
		td := batch(1, 10)
		edit(td)
		require.NotEqual(t, base, FingerprintOf(td), name)
	}
	// What the exporter adds or changes on a span is not identity.
	td := batch(1, 10)
	span3(td).Attributes().PutStr("gen_ai.system", "openai")
	span3(td).SetName("renamed")
	require.Equal(t, base, FingerprintOf(td))
}
