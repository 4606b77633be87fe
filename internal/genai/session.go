// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Helicone groups requests into sessions (Helicone-Session-Id, -Path, -Name), and no
// instrumentation sets them for an agent run. The LLM calls of one run become one
// session whose path mirrors the agents and tools above each call
// (/weather_agent/get_weather/chat).
//
// The agents and tools are spans the selection drops before the queue, and the
// Mapper sees only the calls after it; so the Selector writes, on each call, the
// path of its agent and tool ancestors present in the same batch and the name of
// its run (KeyAncestors, KeyRunName). Ancestors that arrive in another batch are
// missed: the groupbytrace processor gives complete paths. Without ancestors the
// Mapper uses what the call carries (gen_ai.agent.name, traceloop.entity.path).

// The attributes the Selector adds to an LLM call of an agent run. They carry what
// selection saw to the Mapper across the queue, and never reach Helicone (Internal).
const (
	KeyAncestors = internalPrefix + "session.ancestors" // "/weather_agent/get_weather"
	KeyRunName   = internalPrefix + "session.name"      // the outermost agent, else the root span
)

const internalPrefix = "helicone.exporter."

// Internal reports whether key is one the exporter added for its own use.
func Internal(key string) bool { return strings.HasPrefix(key, internalPrefix) }

// maxDepth bounds the walk up a call's ancestors, and stops a parent cycle.
const maxDepth = 32

// annotate writes the ancestry of each LLM call of td; verdicts are in span order.
func (sel *selection) annotate(td ptrace.Traces) {
	if sel.spans == nil {
		sel.spans = map[spanKey]ptrace.Span{}
	}
	defer clear(sel.spans) // do not keep the batch alive
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				sel.spans[keyOf(span.TraceID(), span.SpanID())] = span
			}
		}
	}
	i := 0
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				if sel.verdicts[i] == keepCall && !span.ParentSpanID().IsEmpty() {
					sel.annotateCall(span)
				}
				i++
			}
		}
	}
}

// annotateCall writes the agent and tool ancestors of a call, root first, and the
// name of its run.
func (sel *selection) annotateCall(call ptrace.Span) {
	segs := sel.segs[:0]
	var agent string
	cur := call
	for range maxDepth {
		parent, ok := sel.spans[keyOf(cur.TraceID(), cur.ParentSpanID())]
		if !ok || cur.ParentSpanID().IsEmpty() {
			break
		}
		cur = parent
		if seg, isAgent := segmentOf(cur); seg != "" {
			segs = append(segs, seg)
			if isAgent {
				agent = seg // the outermost wins
			}
		}
	}
	sel.segs = segs
	if len(segs) == 0 {
		return
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(segs[i])
	}
	attrs := call.Attributes()
	attrs.PutStr(KeyAncestors, b.String())
	attrs.PutStr(KeyRunName, cmpOr(agent, cur.Name()))
}

// segmentOf names a span's step in a session path: an agent or workflow (isAgent),
// a tool or task; "" for any other span.
func segmentOf(span ptrace.Span) (seg string, isAgent bool) {
	attrs := span.Attributes()
	name := span.Name()
	switch strAttr(attrs, "gen_ai.operation.name") {
	case "invoke_agent", "create_agent":
		return pathSegment(cmpOr(strAttr(attrs, "gen_ai.agent.name"), strings.TrimPrefix(name, "invoke_agent "))), true
	case "invoke_workflow", "invoke_swarm", "invoke_graph":
		return pathSegment(cmpOr(strAttr(attrs, "gen_ai.workflow.name"), name)), true
	case "execute_tool":
		return pathSegment(cmpOr(strAttr(attrs, "gen_ai.tool.name"), strings.TrimPrefix(name, "execute_tool "))), false
	case "":
	default:
		return "", false // a call, or a step that is neither agent nor tool
	}
	switch strAttr(attrs, "openinference.span.kind") {
	case "AGENT":
		return pathSegment(cmpOr(strAttr(attrs, "agent.name"), name)), true
	case "TOOL":
		return pathSegment(cmpOr(strAttr(attrs, "tool.name"), name)), false
	}
	switch strAttr(attrs, "traceloop.span.kind") {
	case "workflow", "agent":
		return pathSegment(cmpOr(strAttr(attrs, "traceloop.entity.name"), name)), true
	case "task", "tool":
		return pathSegment(cmpOr(strAttr(attrs, "traceloop.entity.name"), name)), false
	}
	if strAttr(attrs, "ai.operationId") == "ai.toolCall" {
		return pathSegment(strAttr(attrs, "ai.toolCall.name")), false
	}
	if agent := cmpOr(strAttr(attrs, "gen_ai.agent.name"), strAttr(attrs, "agent_name")); agent != "" {
		return pathSegment(agent), true // pydantic-ai's agent run before invoke_agent
	}
	return "", false
}

// pathSegment keeps a name from splitting the path.
func pathSegment(name string) string {
	return strings.ReplaceAll(strings.TrimSpace(name), "/", "_")
}

// addSession fills Helicone's session: the user's (Helicone keys, session metadata)
// as they are, else for a call of an agent run the run's, else session.id or
// gen_ai.conversation.id.
func (m *Mapper) addSession(span ptrace.Span) {
	attrs := span.Attributes()
	var path, name string
	if m.sessions && !m.userSession(attrs) {
		path, name = runPath(attrs)
	}
	if path == "" || !m.fromTrace {
		session, _ := m.firstStr(fieldSession)
		m.add(keySession, session)
	}
	if path == "" {
		return
	}
	m.add(keySession, span.TraceID().String())
	m.add(keySessionPath, path+"/"+pathSegment(cmpOr(m.reqType, span.Name())))
	m.add(keySessionName, name)
}

// userSession reports whether the user named a Helicone session: on the span, or in
// metadata (sessionId, Helicone-Session-Id).
func (m *Mapper) userSession(attrs pcommon.Map) bool {
	if _, ok := attrs.Get(keySession); ok {
		return true
	}
	for _, e := range m.meta {
		if e.name == sessionMetaName || identityKey(e.name) == keySession {
			return true
		}
	}
	return false
}

// sessionMetaName is Helicone's session key as user metadata names it.
const sessionMetaName = "Helicone-Session-Id"

// runPath is the path of the agents and tools above a call, and the run's name: as
// the Selector found them, else from what the call carries.
func runPath(attrs pcommon.Map) (path, name string) {
	if path = strAttr(attrs, KeyAncestors); path != "" {
		return path, strAttr(attrs, KeyRunName)
	}
	// OpenLLMetry: traceloop.workflow.name, and traceloop.entity.path, the tasks
	// between the workflow and the call, dotted.
	if wf := strAttr(attrs, "traceloop.workflow.name"); wf != "" {
		path = "/" + pathSegment(wf)
		if ep := strAttr(attrs, "traceloop.entity.path"); ep != "" {
			for seg := range strings.SplitSeq(ep, ".") {
				path += "/" + pathSegment(seg)
			}
		}
		return path, wf
	}
	if agent := strAttr(attrs, "gen_ai.agent.name"); agent != "" {
		return "/" + pathSegment(agent), agent
	}
	return "", ""
}
