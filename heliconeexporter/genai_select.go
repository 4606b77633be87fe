package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"bytes"
	"context"
	"path"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
)

// Helicone logs every span it receives as an LLM request, so the exporter sends only
// the spans that are LLM calls, as each convention marks them (docs/genai.md), and of
// LLM spans nested in one another only the innermost, the one closest to the provider.

// spanClass is what the selection makes of a span.
type spanClass uint8

const (
	classOther   spanClass = iota // not an LLM call: HTTP, database, tool, ...
	classLLM                      // an LLM call: chat, completion, embeddings
	classWrapper                  // an SDK or framework span around LLM calls
)

// spanSelector holds the compiled spans settings.
type spanSelector struct {
	all     bool
	include []SpanMatch
}

func newSpanSelector(cfg SpansConfig) spanSelector {
	return spanSelector{all: cfg.Export == exportAll, include: cfg.Include}
}

// selection is the reusable scratch of one push.
type selection struct {
	auto    []bool    // per selected ref: chosen as an LLM call, not by an include rule
	parents []spanKey // the parents of the LLM calls of the push, sorted
}

// spanKey identifies a span within a batch.
type spanKey [24]byte

func keyOf(trace pcommon.TraceID, span pcommon.SpanID) (k spanKey) {
	copy(k[:16], trace[:])
	copy(k[16:], span[:])
	return k
}

// selectSpans returns the spans of td to send, appended to enc.refs[:0], and counts
// the others as dropped by reason.
func (e *heliconeExporter) selectSpans(ctx context.Context, td ptrace.Traces, enc *encoder) []spanRef {
	refs := enc.refs[:0]
	if e.selector.all {
		return collectSpans(td, refs)
	}
	sel := &enc.selection
	sel.auto, sel.parents = sel.auto[:0], sel.parents[:0]
	notLLM, wrappers := 0, 0
	for i := 0; i < td.ResourceSpans().Len(); i++ {
		rs := td.ResourceSpans().At(i)
		for j := 0; j < rs.ScopeSpans().Len(); j++ {
			spans := rs.ScopeSpans().At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				span := spans.At(k)
				class := classifySpan(span.Attributes())
				switch {
				case class == classLLM:
					if !span.ParentSpanID().IsEmpty() {
						sel.parents = append(sel.parents, keyOf(span.TraceID(), span.ParentSpanID()))
					}
				case e.selector.included(span):
				case class == classWrapper:
					wrappers++
					continue
				default:
					notLLM++
					continue
				}
				refs = append(refs, spanRef{rs: i, ss: j, span: k})
				sel.auto = append(sel.auto, class == classLLM)
			}
		}
	}
	refs, nested := sel.dropOuterCalls(td, refs)
	wrappers += nested
	if notLLM > 0 {
		e.countDropped(ctx, dropNotLLM, notLLM)
	}
	if wrappers > 0 {
		e.countDropped(ctx, dropWrapper, wrappers)
	}
	if notLLM+wrappers > 0 {
		e.logger.Debug("Left out spans that are not LLM calls", zap.Int("sent", len(refs)),
			zap.Int("not_llm", notLLM), zap.Int("wrapper", wrappers))
	}
	return refs
}

// dropOuterCalls removes the LLM calls that are the parent of another LLM call of the
// batch (e.g. a framework's LLM span around the provider SDK's), keeping the innermost.
func (sel *selection) dropOuterCalls(td ptrace.Traces, refs []spanRef) ([]spanRef, int) {
	if len(sel.parents) == 0 {
		return refs, 0
	}
	slices.SortFunc(sel.parents, func(a, b spanKey) int { return bytes.Compare(a[:], b[:]) })
	kept := refs[:0]
	for i, r := range refs {
		if sel.auto[i] {
			span := td.ResourceSpans().At(r.rs).ScopeSpans().At(r.ss).Spans().At(r.span)
			key := keyOf(span.TraceID(), span.SpanID())
			if _, found := slices.BinarySearchFunc(sel.parents, key, func(a, b spanKey) int { return bytes.Compare(a[:], b[:]) }); found {
				continue
			}
		}
		kept = append(kept, r)
	}
	return kept, len(refs) - len(kept)
}

// included reports whether a span matches one of the include rules.
func (s *spanSelector) included(span ptrace.Span) bool {
	for _, m := range s.include {
		if m.Name != "" {
			if ok, _ := path.Match(m.Name, span.Name()); !ok {
				continue
			}
		}
		if m.Attribute != "" {
			if _, ok := span.Attributes().Get(m.Attribute); !ok {
				continue
			}
		}
		return true
	}
	return false
}

// classifySpan reads the markers of each convention, the most specific first: the
// Vercel AI SDK's operation id, OpenInference's span kind, OpenLLMetry's span kind,
// then the GenAI semantic conventions' operation and OpenLLMetry's request type.
func classifySpan(attrs pcommon.Map) spanClass {
	if v, ok := attrs.Get("ai.operationId"); ok {
		return vercelClass(v.Str())
	}
	if v, ok := attrs.Get("openinference.span.kind"); ok {
		switch strings.ToUpper(v.Str()) {
		case "LLM", "EMBEDDING":
			return classLLM
		case "CHAIN", "AGENT":
			return classWrapper
		case "TOOL", "RETRIEVER", "RERANKER", "GUARDRAIL", "EVALUATOR", "PROMPT":
			return classOther
		}
	}
	if v, ok := attrs.Get("traceloop.span.kind"); ok {
		switch v.Str() {
		case "workflow", "task", "agent":
			return classWrapper
		case "tool":
			return classOther
		}
	}
	if v, ok := attrs.Get("gen_ai.operation.name"); ok {
		switch operationType(v.Str()) {
		case "":
		case "wrapper":
			return classWrapper
		case "tool":
			return classOther
		default:
			return classLLM
		}
	}
	if _, ok := attrs.Get("llm.request.type"); ok {
		return classLLM
	}
	if hasAny(attrs, "gen_ai.system", "gen_ai.provider.name") && hasAny(attrs, "gen_ai.request.model", "gen_ai.response.model") {
		return classLLM
	}
	return classOther
}

// vercelClass: ai.generateText.doGenerate, ai.streamText.doStream, ai.embed.doEmbed
// (and the same under generateObject, streamObject, embedMany) are the calls to the
// provider; ai.generateText and the like wrap them, ai.toolCall runs a tool.
func vercelClass(operationID string) spanClass {
	switch {
	case strings.HasSuffix(operationID, ".doGenerate"), strings.HasSuffix(operationID, ".doStream"), strings.HasSuffix(operationID, ".doEmbed"):
		return classLLM
	case operationID == "ai.toolCall":
		return classOther
	default:
		return classWrapper
	}
}

// operationType maps gen_ai.operation.name to Helicone's request type (chat,
// completion, embedding), or to "wrapper" or "tool"; "" when unknown.
func operationType(op string) string {
	switch op {
	case "chat", "generate_content":
		return "chat"
	case "text_completion", "completion":
		return "completion"
	case "embeddings", "embedding":
		return "embedding"
	case "invoke_agent", "create_agent", "invoke_workflow":
		return "wrapper"
	case "execute_tool":
		return "tool"
	}
	return ""
}

func hasAny(attrs pcommon.Map, keys ...string) bool {
	for _, k := range keys {
		if _, ok := attrs.Get(k); ok {
			return true
		}
	}
	return false
}
