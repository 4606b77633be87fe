package groundtruth

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// modelKeys are the attributes in which some convention records the model a
// call asked for or got; a span carrying one may be a model call (or an agent
// around calls: the innermost span wins).
var modelKeys = []string{
	"gen_ai.request.model", "gen_ai.response.model", // GenAI semconv, OpenLLMetry, pydantic-ai, Strands
	"llm.model_name", "embedding.model_name", // OpenInference
	"ai.model.id", // Vercel AI SDK
}

// callMarkers are attributes whose value alone says "this span is a model
// call", for spans that fail before a model is recorded.
var callMarkers = map[string]map[string]bool{
	"openinference.span.kind": {"LLM": true, "EMBEDDING": true},
	"gen_ai.operation.name":   {"chat": true, "text_completion": true, "generate_content": true, "embeddings": true},
}

// mayBeCall says whether a span could be the record of one model call.
func mayBeCall(attrs pcommon.Map) bool {
	for _, k := range modelKeys {
		if v, ok := attrs.Get(k); ok && v.AsString() != "" {
			return true
		}
	}
	for k, values := range callMarkers {
		if v, ok := attrs.Get(k); ok && values[v.AsString()] {
			return true
		}
	}
	_, ok := attrs.Get("llm.request.type")
	return ok
}

// candidate is a span that may record a model call.
type candidate struct {
	span       ptrace.Span
	start, end int64
}

func candidates(td ptrace.Traces) []candidate {
	var out []candidate
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				if mayBeCall(span.Attributes()) {
					out = append(out, candidate{span: span, start: int64(span.StartTimestamp()), end: int64(span.EndTimestamp())})
				}
			}
		}
	}
	return out
}

// matchSpans finds the span of each call, as the fixtures' README says: the
// span whose gen_ai.response.id is the call's response id, else the innermost
// candidate whose window holds the call's once the suite's clock offset is
// added. A call no span recorded gets ok=false.
//
// "Holds" allows for drift: a Node span clock (performance.now) runs a few
// milliseconds apart from the wall clock the offset was measured with, so a
// span may end just before the server finished writing. A window holds a
// call when it covers more than half of it; calls of one suite never overlap,
// so no two calls compete for that half.
func matchSpans(calls []RecordedCall, offset int64, td ptrace.Traces) []matched {
	cands := candidates(td)
	out := make([]matched, len(calls))
	for i, c := range calls {
		out[i] = matched{call: c}
		if span, ok := byResponseID(cands, c.ResponseID); ok {
			out[i].span, out[i].ok = span, true
			continue
		}
		start, end := int64(c.Start)+offset, int64(c.End)+offset
		best := -1
		for j, cand := range cands {
			if 2*(min(cand.end, end)-max(cand.start, start)) <= end-start {
				continue
			}
			if best < 0 || cand.end-cand.start < cands[best].end-cands[best].start {
				best = j
			}
		}
		if best >= 0 {
			out[i].span, out[i].ok = cands[best].span, true
		}
	}
	return out
}

func byResponseID(cands []candidate, id string) (ptrace.Span, bool) {
	if id == "" {
		return ptrace.Span{}, false
	}
	for _, cand := range cands {
		if v, ok := cand.span.Attributes().Get("gen_ai.response.id"); ok && v.AsString() == id {
			return cand.span, true
		}
	}
	return ptrace.Span{}, false
}

// matched is a recorded call and the span that recorded it, if any.
type matched struct {
	call RecordedCall
	span ptrace.Span
	ok   bool
}

// The keys in which a span records its token counts, for streamed calls whose
// counts may be the instrumentation's own estimate.
var (
	inputTokenKeys  = []string{"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "ai.usage.inputTokens", "ai.usage.promptTokens", "ai.usage.tokens"}
	outputTokenKeys = []string{"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "ai.usage.outputTokens", "ai.usage.completionTokens"}
)

// spanTokens is the first of keys the span recorded, as a whole number.
func spanTokens(attrs pcommon.Map, keys []string) (int64, bool) {
	for _, k := range keys {
		v, ok := attrs.Get(k)
		if !ok {
			continue
		}
		switch v.Type() {
		case pcommon.ValueTypeInt:
			return v.Int(), true
		case pcommon.ValueTypeDouble:
			return int64(v.Double()), true
		}
	}
	return 0, false
}
