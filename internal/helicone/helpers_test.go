package helicone

import (
	"encoding/json"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// body is a valid OTELTrace body holding spans, each made by span.
func body(spans ...string) []byte {
	return []byte(`{"resourceSpans":[{"resource":{"attributes":[],"droppedAttributesCount":0},` +
		`"scopeSpans":[{"scope":{"name":"test","version":""},"spans":[` + strings.Join(spans, ",") + `]}]}]}`)
}

// span is one valid span; attrs are made by strAttr and intAttr.
func span(traceID, spanID string, attrs ...string) string {
	return `{"traceId":` + quote(traceID) + `,"spanId":` + quote(spanID) + `,"name":"chat","kind":3,` +
		`"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001500000000",` +
		`"attributes":[` + strings.Join(attrs, ",") + `],"droppedAttributesCount":0,` +
		`"events":[],"droppedEventsCount":0,"links":[],"droppedLinksCount":0,"status":{"code":0}}`
}

func strAttr(key, value string) string {
	return `{"key":` + quote(key) + `,"value":{"stringValue":` + quote(value) + `}}`
}

func intAttr(key string, value int) string {
	b, _ := json.Marshal(value)
	return `{"key":` + quote(key) + `,"value":{"intValue":` + string(b) + `}}`
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
