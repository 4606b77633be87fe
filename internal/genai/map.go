// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai // import "github.com/otelcol-helicone/otelcol-helicone/internal/genai"

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// Helicone reads a fixed, older set of span attributes (helicone.go). Map fills in
// those a span lacks from what its instrumentation recorded instead. It never
// overwrites an attribute the span has, except to normalise gen_ai.system to a
// provider name Helicone knows.

// Settings are what Map adds beyond the conventions.
type Settings struct {
	// MaxContent is the longest message text copied, in bytes.
	MaxContent int
	// FromAttributes maps an attribute key, of the span or else of its resource, to
	// a Helicone property name; an empty name maps nothing.
	FromAttributes map[string]string
	// Static maps a Helicone property name to the value set on every span.
	Static map[string]string
	// Failures marks failed calls: an Error property, and the error as the response
	// of a call that has none (failure.go).
	Failures bool
	// Sessions makes the LLM calls of an agent run one Helicone session, with a path
	// of the agents and tools above each call (session.go).
	Sessions bool
	// SessionIDFromTrace takes a run's session id from the trace id, not from
	// session.id or gen_ai.conversation.id.
	SessionIDFromTrace bool
}

// propertyFrom copies an attribute, of the span or else of the resource, into a
// Helicone property.
type propertyFrom struct {
	attr, key string
}

// metaEntry is user metadata: a Vercel ai.telemetry.metadata.<name>, an OpenLLMetry
// traceloop.association.properties.<name>, or a key of OpenInference's metadata.
type metaEntry struct {
	name string
	val  pcommon.Value
	json bool   // read from JSON (OpenInference's metadata): its text, and no val
	text string // when json
}

// textOf is the entry's value as text.
func (e *metaEntry) textOf() string {
	if e.json {
		return e.text
	}
	return textOf(e.val)
}

// Mapper maps the spans of one push at a time; it keeps its buffers between pushes
// and is not safe for concurrent use.
type Mapper struct {
	ix         *index
	keys       *keyTable // the slots' and fromAttrs' keys
	maxContent int
	failures   bool
	sessions   bool           // Settings.Sessions
	fromTrace  bool           // Settings.SessionIDFromTrace
	fromAttrs  []propertyFrom // by attribute key, the current convention's first
	static     []Attr         // by name

	// the span being mapped
	vals           []pcommon.Value // by slot
	has            []bool          // by slot: the span has it
	hasSlots       []slot          // the slots the span has, to clear
	hasPrompts     bool            // the span has gen_ai.prompt.N.role
	hasCompletions bool            // the span has gen_ai.completion.N.role
	ownToRewrite   bool            // the span's own messages may need rewriting (openllmetry.go)
	props          []pcommon.Value // by fromAttrs: the span's attribute
	hasProp        []bool
	resProps       []pcommon.Value // by fromAttrs: the resource's attribute
	resHasProp     []bool
	meta           []metaEntry
	oi             oiSpan // OpenInference's indexed attributes (openinference.go)
	ol             olSpan // the span's own messages, to rewrite (openllmetry.go)
	reqType        string
	prompts        int // gen_ai.prompt.N added so far
	completions    int
	issues         Issues
	text           []byte            // the message being rendered
	msgs           []jsonMessage     // parsed messages, reused
	texts          []byte            // the push's message texts (textString)
	assocKeys      map[string]string // associationKey's cache
	dec            decoder           // decodes message JSON into msgs and the like
	lastProvider   providerName      // provider's memo

	arena  []Attr // the attributes added to every span of the push
	start  int    // where the current span's begin in arena
	bounds []int  // where each span's end in arena
	out    Added
}

// Added is what Map adds to each span of a push, in the order of the spans.
type Added struct {
	// Spans holds the attributes to add to each span.
	Spans  [][]Attr
	issues []Issues
}

// Issues sums the issues met in mapping spans lo to hi-1.
func (a *Added) Issues(lo, hi int) Issues {
	var sum Issues
	for _, is := range a.issues[lo:hi] {
		sum.Add(is)
	}
	return sum
}

// NewMapper returns a mapper with the given settings.
func NewMapper(s Settings) *Mapper {
	ix := compiled()
	m := &Mapper{ix: ix, maxContent: s.MaxContent, failures: s.Failures, sessions: s.Sessions, fromTrace: s.SessionIDFromTrace, vals: make([]pcommon.Value, len(slotKeys)), has: make([]bool, len(slotKeys))}
	// The first attribute found wins a property. Reverse order puts a renamed key
	// before the one it replaced (deployment.environment.name before
	// deployment.environment), so the current convention wins.
	for _, attr := range slices.Backward(slices.Sorted(maps.Keys(s.FromAttributes))) {
		if name := s.FromAttributes[attr]; name != "" {
			m.fromAttrs = append(m.fromAttrs, propertyFrom{attr: attr, key: PropertyPrefix + name})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Static)) {
		m.static = append(m.static, Attr{Key: PropertyPrefix + name, Str: s.Static[name]})
	}
	m.keys = newKeyTable(slotKeys, m.fromAttrs)
	n := len(m.fromAttrs)
	m.props, m.hasProp, m.resProps, m.resHasProp = make([]pcommon.Value, n), make([]bool, n), make([]pcommon.Value, n), make([]bool, n)
	return m
}

// Map returns the attributes to add to every span of td, valid until the next call.
func (m *Mapper) Map(td ptrace.Traces) *Added {
	clear(m.arena) // do not keep the previous push's strings alive
	m.lastProvider = providerName{}
	m.arena, m.out.issues, m.texts = m.arena[:0], m.out.issues[:0], m.texts[:0]
	bounds := m.bounds[:0]
	for _, rs := range td.ResourceSpans().All() {
		m.readResource(rs.Resource().Attributes())
		for _, ss := range rs.ScopeSpans().All() {
			for _, span := range ss.Spans().All() {
				m.mapSpan(span)
				bounds = append(bounds, len(m.arena))
				m.out.issues = append(m.out.issues, m.issues)
			}
		}
	}
	m.bounds = bounds
	m.out.Spans = m.out.Spans[:0]
	lo := 0
	for _, hi := range bounds {
		m.out.Spans = append(m.out.Spans, m.arena[lo:hi:hi])
		lo = hi
	}
	return &m.out
}

// readResource reads the resource's attributes for the configured properties, once
// for all its spans.
func (m *Mapper) readResource(res pcommon.Map) {
	for i, p := range m.fromAttrs {
		m.resProps[i], m.resHasProp[i] = res.Get(p.attr)
	}
}

// mapSpan appends to the arena the attributes to add to span.
func (m *Mapper) mapSpan(span ptrace.Span) {
	m.reset()
	attrs := span.Attributes()
	m.gather(attrs)
	m.addProvider()
	m.addModel()
	m.addRequestType()
	m.addCount(keyMaxTokens, fieldMaxTokens)
	m.addTokens()
	m.addIdentity(span)
	m.addMessages(span)
	if m.failures {
		m.addFailure(span)
	}
	m.addProperties()
}

func (m *Mapper) reset() {
	for _, s := range m.hasSlots { // do not keep the previous batch alive
		m.vals[s], m.has[s] = pcommon.Value{}, false
	}
	m.hasSlots = m.hasSlots[:0]
	clear(m.props)
	clear(m.hasProp)
	m.hasPrompts, m.hasCompletions, m.ownToRewrite = false, false, false
	m.oi.reset()
	clear(m.meta)
	m.meta = m.meta[:0]
	m.start, m.prompts, m.completions, m.reqType = len(m.arena), 0, 0, ""
	m.issues = Issues{}
}

// gather reads the span's attributes once, keeping those the conventions and the
// configured properties read.
func (m *Mapper) gather(attrs pcommon.Map) {
	for k, v := range attrs.All() {
		g, rest, isMessage := cutMessagePrefix(k)
		var e *keyEntry
		if !isMessage || m.keys.hasMessageKeys { // else it cannot be in the table
			e = m.keys.find(k)
		}
		if e != nil {
			if e.prop >= 0 && !m.hasProp[e.prop] { // the first wins, as pcommon.Map.Get finds it
				m.props[e.prop], m.hasProp[e.prop] = v, true
			}
			if e.slot >= 0 {
				if !m.has[e.slot] {
					m.hasSlots = append(m.hasSlots, e.slot)
				}
				m.vals[e.slot], m.has[e.slot] = v, true
				continue
			}
		}
		if isMessage {
			m.gatherOwnMessage(k, g, rest, v)
			continue
		}
		if k == "" || !m.ix.familyStarts[k[0]] {
			continue
		}
		for _, f := range m.ix.families {
			if rest, ok := strings.CutPrefix(k, f.prefix); ok {
				f.read(m, rest, v)
				break
			}
		}
	}
}

func (m *Mapper) get(s slot) (pcommon.Value, bool) { return m.vals[s], m.has[s] }

// str is a slot's value if it is a string, else "".
func (m *Mapper) str(s slot) string {
	if v, ok := m.get(s); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}

// spanHas reports whether the span has Helicone's own key for f (its rank-0 source).
func (m *Mapper) spanHas(f field) bool {
	srcs := m.ix.fields[f]
	return len(srcs) > 0 && srcs[0].rank == 0 && m.has[srcs[0].slot]
}

// firstStr returns the first non-empty string among the sources of f, and its source
// (by pointer: a source is six words).
func (m *Mapper) firstStr(f field) (string, *source) {
	srcs := m.ix.fields[f]
	for i := range srcs {
		s := &srcs[i]
		v := m.str(s.slot)
		if s.str != nil && v != "" {
			v = s.str(v)
		}
		if v != "" {
			return v, s
		}
	}
	return "", &noSource
}

// noSource is the source of nothing found.
var noSource source

// firstCount returns the first whole number among the sources of f, and its source.
func (m *Mapper) firstCount(f field) (int64, *source, bool) {
	srcs := m.ix.fields[f]
	for i := range srcs {
		s := &srcs[i]
		v, ok := m.get(s.slot)
		if !ok {
			continue
		}
		read := countOf
		if s.count != nil {
			read = s.count
		}
		if n, ok := read(v); ok {
			return n, s, true
		}
	}
	return 0, &noSource, false
}

// countOf is a value as a whole number, from an int, a whole double or a decimal
// string, within what a JavaScript number holds exactly.
func countOf(v pcommon.Value) (int64, bool) {
	switch v.Type() {
	case pcommon.ValueTypeInt:
		return v.Int(), isSafeInt(v.Int())
	case pcommon.ValueTypeDouble:
		f := v.Double()
		return int64(f), f == math.Trunc(f) && math.Abs(f) <= maxSafeInt
	case pcommon.ValueTypeStr:
		n, err := strconv.ParseInt(strings.TrimSpace(v.Str()), 10, 64)
		return n, err == nil && isSafeInt(n)
	}
	return 0, false
}

// maxSafeInt is the largest integer a JavaScript number holds exactly (2^53).
const maxSafeInt = 1 << 53

func isSafeInt(v int64) bool { return v >= -maxSafeInt && v <= maxSafeInt }

// add adds a string attribute unless the key was added already: the first source wins.
func (m *Mapper) add(key, val string) {
	if val == "" || m.added(key) {
		return
	}
	m.arena = append(m.arena, Attr{Key: key, Str: val})
}

func (m *Mapper) addInt(key string, n int64) {
	if m.added(key) {
		return
	}
	m.arena = append(m.arena, Attr{Key: key, Num: n, IsNum: true})
}

func (m *Mapper) added(key string) bool {
	for i := m.start; i < len(m.arena); i++ {
		if m.arena[i].Key == key {
			return true
		}
	}
	return false
}

// addProvider fills gen_ai.system, and rewrites one Helicone would not recognise
// (e.g. the Vercel AI SDK's "openai.chat") when it can name the provider. A provider
// that is an agent framework (strands-agents) gives way to the model's vendor.
func (m *Mapper) addProvider() {
	have, src := m.firstStr(fieldProvider)
	if have == "" || m.provider(have).framework {
		if vendor := m.vendor(); vendor != "" {
			m.arena = append(m.arena, Attr{Key: keySystem, Str: vendor, Replace: have != "" && src.rank == 0})
			return
		}
	}
	if have == "" {
		return
	}
	pv := m.provider(have)
	p, known := pv.name, pv.known
	switch {
	case src.rank != 0:
		m.add(keySystem, p)
	case known && !strings.EqualFold(p, have):
		m.arena = append(m.arena, Attr{Key: keySystem, Str: p, Replace: true})
	}
}

// providerName is what the mapping makes of a provider name.
type providerName struct {
	of        string // the name as the span has it
	name      string // normalizeProvider's
	known     bool
	framework bool // isFramework's
}

// provider reads a provider name, remembering the last: the spans of a push
// mostly name one or two.
func (m *Mapper) provider(of string) providerName {
	if m.lastProvider.of != of || of == "" {
		name, known := normalizeProvider(of)
		m.lastProvider = providerName{of: of, name: name, known: known, framework: isFramework(of)}
	}
	return m.lastProvider
}

// vendor names the model's vendor where the provider is missing or a framework: a
// known provider among the other sources, else the API host, else the model name.
func (m *Mapper) vendor() string {
	for i := range m.ix.fields[fieldProvider] {
		if v := m.str(m.ix.fields[fieldProvider][i].slot); v != "" {
			if pv := m.provider(v); !pv.framework && pv.known {
				return pv.name
			}
		}
	}
	if p := providerOfHost(m.str(serverAddress)); p != "" {
		return p
	}
	model, _ := m.firstStr(fieldModel)
	return providerOfModel(model)
}

// addModel fills gen_ai.response.model, the only model Helicone reads, preferring
// the model that answered to the model asked for.
func (m *Mapper) addModel() {
	if m.spanHas(fieldModel) {
		return
	}
	model, _ := m.firstStr(fieldModel)
	if model == "" { // a failed OpenInference call records the model only among its parameters
		model = modelOfParams(m.str(oiInvocationParams))
	}
	m.add(keyModel, model)
}

// modelOfParams reads the model from llm.invocation_parameters, a JSON object.
func modelOfParams(params string) string {
	v, ok := paramsObject(params)
	if !ok {
		return ""
	}
	model, _ := rawJSON{get(v, "model")}.text()
	if k := get(v, "model").Kind(); k != genaijson.String && k != genaijson.Null && k != genaijson.Missing {
		return "" // encoding/json refused the parameters
	}
	return model
}

// addRequestType fills llm.request.type (Helicone's response "object") with
// OpenLLMetry's values: chat, completion, embedding. The first source the span has
// decides, even when it names no request type (an agent, a tool).
func (m *Mapper) addRequestType() {
	v, s := m.firstStr(fieldRequestType)
	if v == "" {
		return
	}
	m.reqType = v
	if s.requestType != nil {
		m.reqType = s.requestType(v)
	}
	if s.rank != 0 {
		m.add(keyRequestType, m.reqType)
	}
}

// addCount fills key from the first source of f with a count, unless the span has key.
func (m *Mapper) addCount(key string, f field) (int64, bool) {
	n, s, ok := m.firstCount(f)
	if ok && s.rank != 0 {
		m.addInt(key, n)
	}
	return n, ok
}

// addTokens fills the prompt, completion and total token counts, computing the total
// from the parts when no source has it. An embedding has no completion tokens.
func (m *Mapper) addTokens() {
	prompt, hasPrompt := m.addCount(keyPromptTokens, fieldPromptTokens)
	completion, hasCompletion := m.addCount(keyCompletionTokens, fieldCompletionTokens)
	if !hasCompletion && hasPrompt && m.reqType == "embedding" {
		completion, hasCompletion = 0, true
		m.addInt(keyCompletionTokens, 0)
	}
	if _, ok := m.addCount(keyTotalTokens, fieldTotalTokens); !ok && hasPrompt && hasCompletion {
		m.addInt(keyTotalTokens, prompt+completion)
	}
}

// addIdentity fills Helicone's user and session from the conventions' user and
// session attributes and from user metadata naming them. Helicone-* metadata keys
// are taken as they are.
func (m *Mapper) addIdentity(span ptrace.Span) {
	for _, read := range m.ix.metadata {
		read(m)
	}
	for _, e := range m.meta {
		if strings.HasPrefix(e.name, "Helicone-") {
			m.add(m.associationKey(e.name), e.textOf())
		}
	}
	// Helicone falls back to llm.user: a span that has it names its user already.
	hasLLMUser := m.spanHas(fieldUser)
	if !hasLLMUser {
		user, _ := m.firstStr(fieldUser)
		m.add(keyUser, user)
	}
	m.addSession(span)
	for _, e := range m.meta {
		if key := identityKey(e.name); key != "" && (key != keyUser || !hasLLMUser) {
			m.add(key, e.textOf())
		}
	}
}

// associationKey is associationPrefix+name, from a bounded cache: metadata names
// repeat from span to span.
func (m *Mapper) associationKey(name string) string {
	if key, ok := m.assocKeys[name]; ok {
		return key
	}
	key := associationPrefix + name
	if len(m.assocKeys) < maxAssocKeys {
		if m.assocKeys == nil {
			m.assocKeys = make(map[string]string)
		}
		m.assocKeys[strings.Clone(name)] = key
	}
	return key
}

// maxAssocKeys bounds the cache of associationKey.
const maxAssocKeys = 256

// identityKeys maps a metadata name, lower-cased without '_', '-' and '.', to the
// Helicone key it stands for: userId, user_id, sessionId, conversation_id, ...
var identityKeys = map[string]string{
	"userid": keyUser, "user": keyUser, "enduserid": keyUser, "enduser": keyUser,
	"sessionid": keySession, "session": keySession, "conversationid": keySession, "threadid": keySession,
	"sessionpath": keySessionPath,
	"sessionname": keySessionName,
}

// identityKey returns the Helicone key a metadata name stands for, or "".
func identityKey(name string) string {
	var buf [32]byte
	if len(name) > len(buf) {
		return ""
	}
	norm := buf[:0]
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '_' || c == '-' || c == '.':
		case 'A' <= c && c <= 'Z':
			norm = append(norm, c+'a'-'A')
		default:
			norm = append(norm, c)
		}
	}
	return identityKeys[string(norm)] // does not allocate
}

// addProperties fills the configured properties: from the span's attribute, else the
// resource's, then the static ones.
func (m *Mapper) addProperties() {
	for i, p := range m.fromAttrs {
		v, ok := m.props[i], m.hasProp[i]
		if !ok {
			v, ok = m.resProps[i], m.resHasProp[i]
		}
		if ok {
			m.add(p.key, textOf(v))
		}
	}
	for _, a := range m.static {
		m.add(a.Key, a.Str)
	}
}

// textOf is a scalar value as text; "" for maps, slices and bytes.
func textOf(v pcommon.Value) string {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return v.Str()
	case pcommon.ValueTypeInt, pcommon.ValueTypeDouble, pcommon.ValueTypeBool:
		return v.AsString()
	}
	return ""
}
