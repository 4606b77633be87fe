package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

// Helicone reads a fixed, older set of span attributes (genai_keys.go). The mapping
// fills in those a span lacks from what its instrumentation recorded instead: the
// GenAI semantic conventions, OpenLLMetry, OpenInference or the Vercel AI SDK. It
// never overwrites an attribute the span has, except to normalise gen_ai.system to a
// provider name Helicone knows. docs/genai.md has the full table.

// genaiSettings are the compiled mapping settings, shared by all encoders.
type genaiSettings struct {
	heliconeOnly bool           // attributes.send: helicone
	maxContent   int            // longest message text copied, in bytes
	fromAttrs    []propertyFrom // properties.from_attributes, by attribute key
	static       []addedAttr    // properties.static, by name
}

// propertyFrom copies an attribute, of the span or else of the resource, into a
// Helicone property.
type propertyFrom struct {
	attr, key string
}

func newGenaiSettings(cfg *Config) *genaiSettings {
	s := &genaiSettings{
		heliconeOnly: cfg.Attributes.Send == sendHelicone,
		// A quarter of a request leaves room for the original attribute and the rest
		// of the span in one request.
		maxContent: max(cfg.MaxRequestSize/4, 1024),
	}
	props := cfg.Attributes.Properties
	// The first attribute found wins a property. Reverse order puts a renamed key
	// before the one it replaced (deployment.environment.name before
	// deployment.environment), so the current convention wins.
	attrs := sortedKeys(props.FromAttributes)
	slices.Reverse(attrs)
	for _, attr := range attrs {
		if name := props.FromAttributes[attr]; name != "" {
			s.fromAttrs = append(s.fromAttrs, propertyFrom{attr: attr, key: propertyPrefix + name})
		}
	}
	for _, name := range sortedKeys(props.Static) {
		s.static = append(s.static, addedAttr{key: propertyPrefix + name, str: props.Static[name]})
	}
	return s
}

// genaiIssue names a source the mapping could not use in full; it labels the
// exporter_helicone_mapping_issues metric.
type genaiIssue int

const (
	issueMalformedJSON genaiIssue = iota // a messages attribute that is not valid JSON
	issueTruncated                       // a message longer than the cap, cut
	numGenaiIssues
)

var genaiIssueNames = [numGenaiIssues]string{"malformed_json", "truncated"}

// genaiMapper computes the attributes to add to one span at a time; it holds the
// reusable scratch of an encoder.
type genaiMapper struct {
	cfg    *genaiSettings
	issues *[numGenaiIssues]int64

	vals           [numSrcKeys]pcommon.Value
	has            uint64 // bit i set when vals[i] was read from the span
	hasPrompts     bool   // the span has gen_ai.prompt.N.role
	hasCompletions bool   // the span has gen_ai.completion.N.role
	oiIn, oiOut    []oiMessage
	embedTexts     []string
	meta           []metaEntry

	added       []addedAttr
	prompts     int // gen_ai.prompt.N added so far
	completions int
	text        []byte        // the message being rendered
	msgs        []jsonMessage // parsed messages, reused
	reqType     string
}

// metaEntry is user metadata: a Vercel ai.telemetry.metadata.<name>, an OpenLLMetry
// traceloop.association.properties.<name>, or a key of OpenInference's metadata.
type metaEntry struct {
	name string
	val  pcommon.Value
}

// mapSpan returns the attributes to add to span for Helicone; nil without settings.
func (m *genaiMapper) mapSpan(cfg *genaiSettings, stats *encodeStats, res pcommon.Resource, span ptrace.Span) []addedAttr {
	if cfg == nil {
		return nil
	}
	m.reset(cfg, stats)
	attrs := span.Attributes()
	m.gather(attrs)
	m.addProvider()
	m.addModel()
	m.addRequestType()
	m.addMaxTokens()
	m.addTokens()
	m.addIdentity()
	m.addMessages(span)
	m.addProperties(attrs, res.Attributes())
	return m.added
}

func (m *genaiMapper) reset(cfg *genaiSettings, stats *encodeStats) {
	m.cfg, m.issues = cfg, &stats.genai
	m.vals = [numSrcKeys]pcommon.Value{} // do not keep the previous batch alive
	m.has, m.hasPrompts, m.hasCompletions = 0, false, false
	m.oiIn, m.oiOut = resetOI(m.oiIn), resetOI(m.oiOut)
	clear(m.embedTexts)
	clear(m.meta)
	clear(m.added)
	m.embedTexts, m.meta = m.embedTexts[:0], m.meta[:0]
	m.added, m.prompts, m.completions, m.reqType = m.added[:0], 0, 0, ""
}

// gather reads the span's attributes once, keeping those the mapping uses.
func (m *genaiMapper) gather(attrs pcommon.Map) {
	for k, v := range attrs.All() {
		if s, ok := sourceKeys[k]; ok {
			m.vals[s] = v
			m.has |= 1 << s
			continue
		}
		switch {
		case strings.HasPrefix(k, promptPrefix), strings.HasPrefix(k, completionPrefix):
			if g, _, ok := messageIndex(k); ok && strings.HasSuffix(k, ".role") {
				m.hasPrompts = m.hasPrompts || g == 0
				m.hasCompletions = m.hasCompletions || g == 1
			}
		case strings.HasPrefix(k, oiInputPrefix):
			m.oiIn = setOIMessage(m.oiIn, k[len(oiInputPrefix):], v)
		case strings.HasPrefix(k, oiOutputPrefix):
			m.oiOut = setOIMessage(m.oiOut, k[len(oiOutputPrefix):], v)
		case strings.HasPrefix(k, oiEmbedPrefix):
			m.embedTexts = setOIEmbeddingText(m.embedTexts, k[len(oiEmbedPrefix):], v)
		case strings.HasPrefix(k, vercelMetaPrefix):
			m.meta = append(m.meta, metaEntry{name: k[len(vercelMetaPrefix):], val: v})
		case strings.HasPrefix(k, associationPrefix) && !strings.HasPrefix(k, heliconePrefix):
			m.meta = append(m.meta, metaEntry{name: k[len(associationPrefix):], val: v})
		}
	}
}

func (m *genaiMapper) get(s srcKey) (pcommon.Value, bool) {
	return m.vals[s], m.has&(1<<s) != 0
}

// str is a source's value if it is a string, else "".
func (m *genaiMapper) str(s srcKey) string {
	if v, ok := m.get(s); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}

// count is a source's value as a whole number, from an int, a whole double or a
// decimal string.
func (m *genaiMapper) count(s srcKey) (int64, bool) {
	v, ok := m.get(s)
	if !ok {
		return 0, false
	}
	return countOf(v)
}

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

// add adds a string attribute unless the key was added already: the first source wins.
func (m *genaiMapper) add(key, val string) {
	if val == "" || m.added1(key) {
		return
	}
	m.added = append(m.added, addedAttr{key: key, str: val})
}

func (m *genaiMapper) addInt(key string, n int64) {
	if m.added1(key) {
		return
	}
	m.added = append(m.added, addedAttr{key: key, num: n, isNum: true})
}

func (m *genaiMapper) added1(key string) bool {
	for i := range m.added {
		if m.added[i].key == key {
			return true
		}
	}
	return false
}

// first returns the first of the sources that is a non-empty string.
func (m *genaiMapper) first(sources ...srcKey) string {
	for _, s := range sources {
		if v := m.str(s); v != "" {
			return v
		}
	}
	return ""
}

// addProvider fills gen_ai.system, and rewrites one Helicone would not recognise
// (e.g. the Vercel AI SDK's "openai.chat") when it can name the provider.
func (m *genaiMapper) addProvider() {
	if _, ok := m.get(srcSystem); ok {
		have := m.str(srcSystem)
		if p, known := normalizeProvider(have); known && !strings.EqualFold(p, have) {
			m.added = append(m.added, addedAttr{key: keySystem, str: p, replace: true})
		}
		return
	}
	// OpenInference's llm.provider is the host (azure), llm.system the API (openai).
	if name := m.first(srcProviderName, srcLLMProvider, srcLLMSystem, srcAIProvider); name != "" {
		p, _ := normalizeProvider(name)
		m.add(keySystem, p)
	}
}

// addModel fills gen_ai.response.model, the only model Helicone reads, preferring
// the model that answered to the model asked for.
func (m *genaiMapper) addModel() {
	if _, ok := m.get(srcResponseModel); ok {
		return
	}
	m.add(keyModel, m.first(srcAIResponseModel, srcLLMModelName, srcEmbeddingModelName, srcRequestModel, srcAIModelID))
}

// addRequestType fills llm.request.type (Helicone's response "object") with
// OpenLLMetry's values: chat, completion, embedding.
func (m *genaiMapper) addRequestType() {
	if t := m.str(srcRequestType); t != "" {
		m.reqType = t
		return
	}
	switch {
	case m.str(srcOperation) != "":
		m.reqType = operationType(m.str(srcOperation))
		if m.reqType == "wrapper" || m.reqType == "tool" {
			m.reqType = ""
		}
	case m.str(srcOIKind) != "":
		switch strings.ToUpper(m.str(srcOIKind)) {
		case "LLM":
			m.reqType = "chat"
		case "EMBEDDING":
			m.reqType = "embedding"
		}
	case m.str(srcAIOperationID) != "":
		switch id := m.str(srcAIOperationID); {
		case strings.HasSuffix(id, ".doEmbed"):
			m.reqType = "embedding"
		case strings.HasSuffix(id, ".doGenerate"), strings.HasSuffix(id, ".doStream"):
			m.reqType = "chat"
		}
	}
	m.add(keyRequestType, m.reqType)
}

// addMaxTokens fills gen_ai.response.max_tokens (Helicone records 50 without it) from
// the request's limit.
func (m *genaiMapper) addMaxTokens() {
	if _, ok := m.get(srcMaxTokens); ok {
		return
	}
	for _, s := range [...]srcKey{srcRequestMaxTokens, srcAIMaxTokens} {
		if n, ok := m.count(s); ok {
			m.addInt(keyMaxTokens, n)
			return
		}
	}
	if params := m.str(srcInvocationParams); params != "" {
		var p struct {
			MaxTokens           *int64 `json:"max_tokens"`
			MaxCompletionTokens *int64 `json:"max_completion_tokens"`
			MaxOutputTokens     *int64 `json:"max_output_tokens"`
		}
		if unmarshalString(params, &p) == nil {
			for _, n := range [...]*int64{p.MaxTokens, p.MaxCompletionTokens, p.MaxOutputTokens} {
				if n != nil {
					m.addInt(keyMaxTokens, *n)
					return
				}
			}
		}
	}
}

// addTokens fills the prompt, completion and total token counts, computing the total
// from the parts when no source has it. An embedding has no completion tokens.
func (m *genaiMapper) addTokens() {
	prompt, hasPrompt := m.tokens(keyPromptTokens, srcPromptTokens, srcInputTokens, srcOIPromptTokens, srcAIInputTokens, srcAIEmbeddingTokens)
	completion, hasCompletion := m.tokens(keyCompletionTokens, srcCompletionTokens, srcOutputTokens, srcOICompletionTokens, srcAIOutputTokens)
	if !hasCompletion && hasPrompt && m.reqType == "embedding" {
		completion, hasCompletion = 0, true
		m.addInt(keyCompletionTokens, 0)
	}
	if _, ok := m.tokens(keyTotalTokens, srcTotalTokens, srcUsageTotal, srcOITotalTokens, srcAITotalTokens); !ok && hasPrompt && hasCompletion {
		m.addInt(keyTotalTokens, prompt+completion)
	}
}

// tokens returns the count of the first source that has one, adding it under key
// unless that source is key itself.
func (m *genaiMapper) tokens(key string, sources ...srcKey) (int64, bool) {
	for i, s := range sources {
		if n, ok := m.count(s); ok {
			if i > 0 {
				m.addInt(key, n)
			}
			return n, true
		}
	}
	return 0, false
}

// addIdentity fills Helicone's user and session from the conventions' user and
// session attributes and from user metadata naming them. Helicone-* metadata keys
// are taken as they are.
func (m *genaiMapper) addIdentity() {
	if metadata := m.str(srcOIMetadata); metadata != "" {
		m.addOIMetadata(metadata)
	}
	for _, e := range m.meta {
		if strings.HasPrefix(e.name, "Helicone-") {
			m.add(associationPrefix+e.name, textOf(e.val))
		}
	}
	// Helicone falls back to llm.user: a span that has it names its user already.
	_, hasLLMUser := m.get(srcLLMUser)
	if !hasLLMUser {
		m.add(keyUser, m.first(srcUserID, srcEnduserID))
	}
	m.add(keySession, m.first(srcSessionID, srcConversationID))
	for _, e := range m.meta {
		if key := identityKey(e.name); key != "" && (key != keyUser || !hasLLMUser) {
			m.add(key, textOf(e.val))
		}
	}
}

// addOIMetadata reads OpenInference's metadata, a JSON object, as user metadata.
func (m *genaiMapper) addOIMetadata(metadata string) {
	var fields map[string]any
	if unmarshalString(metadata, &fields) != nil {
		return
	}
	for _, name := range sortedAnyKeys(fields) {
		var v pcommon.Value
		switch x := fields[name].(type) {
		case string:
			v = pcommon.NewValueStr(x)
		case float64:
			v = pcommon.NewValueDouble(x)
		default:
			continue
		}
		m.meta = append(m.meta, metaEntry{name: name, val: v})
	}
}

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
func (m *genaiMapper) addProperties(attrs, res pcommon.Map) {
	for _, p := range m.cfg.fromAttrs {
		v, ok := attrs.Get(p.attr)
		if !ok {
			v, ok = res.Get(p.attr)
		}
		if ok {
			m.add(p.key, textOf(v))
		}
	}
	for _, a := range m.cfg.static {
		m.add(a.key, a.str)
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

func sortedAnyKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// reportMappingIssues records what the mapping could not use in full in this push.
func (e *heliconeExporter) reportMappingIssues(ctx context.Context, stats *encodeStats) {
	for issue, n := range stats.genai {
		if n == 0 {
			continue
		}
		e.telemetry.ExporterHeliconeMappingIssues.Add(ctx, n,
			metric.WithAttributes(attribute.String("reason", genaiIssueNames[issue])))
		e.logger.Debug("Could not map GenAI attributes in full; sent them as they are", zap.String("reason", genaiIssueNames[issue]), zap.Int64("count", n))
	}
}
