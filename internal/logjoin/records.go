package logjoin

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/plog"
)

// The GenAI events that carry an LLM call's content, as the OpenTelemetry
// GenAI semantic conventions define them: one event per message up to
// semconv 1.36, one details event since 1.37.
const (
	EventSystemMessage    = "gen_ai.system.message"
	EventUserMessage      = "gen_ai.user.message"
	EventAssistantMessage = "gen_ai.assistant.message"
	EventToolMessage      = "gen_ai.tool.message"
	EventChoice           = "gen_ai.choice"
	EventDetails          = "gen_ai.client.inference.operation.details"
	// Older still (semconv 1.26, OpenLLMetry): the whole prompt or completion.
	EventContentPrompt     = "gen_ai.content.prompt"
	EventContentCompletion = "gen_ai.content.completion"
)

var contentEvents = map[string]bool{
	EventSystemMessage: true, EventUserMessage: true, EventAssistantMessage: true, EventToolMessage: true,
	EventChoice: true, EventDetails: true, EventContentPrompt: true, EventContentCompletion: true,
}

// EventName is a record's event name: the LogRecord's EventName field, else,
// as SDKs wrote it before that field existed, its event.name attribute.
func EventName(rec plog.LogRecord) string {
	if name := rec.EventName(); name != "" {
		return name
	}
	if v, ok := rec.Attributes().Get("event.name"); ok {
		return v.AsString()
	}
	return ""
}

// IsContentEvent says whether a record is a GenAI event carrying an LLM call's
// messages or response.
func IsContentEvent(rec plog.LogRecord) bool { return contentEvents[EventName(rec)] }

// completes says whether a record is the last one of a call: a span with it
// has all its content, since a call's response is recorded after its input.
func completes(rec plog.LogRecord) bool {
	switch EventName(rec) {
	case EventDetails, EventChoice, EventContentCompletion:
		return true
	}
	return false
}

// isGenAI says whether an event name belongs to the GenAI conventions at all.
func isGenAI(name string) bool { return strings.HasPrefix(name, "gen_ai.") }
