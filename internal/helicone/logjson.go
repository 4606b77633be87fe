package helicone

import (
	"maps"
	"slices"
	"strconv"
)

// MarshalJSON writes the log as the server hands it to its queue, in the
// shape of the recorded contract (testdata/helicone/recorded).
func (l Log) MarshalJSON() ([]byte, error) {
	b := []byte(`{"request":{"userId":`)
	b = l.UserID.appendJSON(b)
	b = append(b, `,"properties":`...)
	b = appendProperties(b, l.Properties)
	b = append(b, `,"targetUrl":"","provider":`...)
	b = appendJSString(b, l.Provider)
	b = append(b, `,"bodySize":`...)
	b = strconv.AppendInt(b, int64(l.RequestBodySize), 10)
	b = append(b, `,"path":"async-unknown-path","threat":false,"requestCreatedAt":`...)
	b = appendDate(b, l.RequestCreatedAt)
	b = append(b, `,"isStream":false},"response":{"status":200,"bodySize":`...)
	b = strconv.AppendInt(b, int64(l.ResponseBodySize), 10)
	b = append(b, `,"responseCreatedAt":`...)
	b = appendDate(b, l.ResponseCreatedAt)
	b = append(b, `,"delayMs":`...)
	b = appendJSON(b, l.DelayMs)
	b = append(b, `},"requestBody":{`...)
	b = appendField(b, "model", l.Model)
	b = append(b, `"n":`...)
	b = strconv.AppendInt(b, int64(len(l.Choices)), 10)
	b = append(b, `,"messages":`...)
	b = appendMessages(b, l.Messages)
	b = append(b, `,"temperature":1,`...)
	b = appendField(b, "max_tokens", l.MaxTokens)
	b = append(b, `"stream":false},"responseBody":{`...)
	b = appendField(b, "object", l.Object)
	b = append(b, `"created":`...)
	b = appendDate(b, l.RequestCreatedAt)
	b = append(b, ',')
	b = appendField(b, "model", l.Model)
	b = append(b, `"choices":`...)
	b = appendChoices(b, l.Choices)
	b = append(b, `,"usage":{`...)
	usage := len(b)
	b = appendField(b, "prompt_tokens", l.PromptTokens)
	b = appendField(b, "completion_tokens", l.CompletionTokens)
	b = appendField(b, "total_tokens", l.TotalTokens)
	if len(b) > usage {
		b = b[:len(b)-1] // the last field's comma
	}
	return append(b, `},"system_fingerprint":null}}`...), nil
}

// appendField writes `"name":value,`, nothing when the value is undefined.
func appendField(b []byte, name string, v Value) []byte {
	if v.IsZero() {
		return b
	}
	b = appendJSString(b, name)
	b = append(b, ':')
	return append(v.appendJSON(b), ',')
}

func appendProperties(b []byte, props map[string]Value) []byte {
	b = append(b, '{')
	n := len(b)
	for _, name := range slices.Sorted(maps.Keys(props)) {
		b = appendField(b, name, props[name])
	}
	if len(b) > n {
		b = b[:len(b)-1]
	}
	return append(b, '}')
}

// appendMessages is JSON.stringify of the message list; its length is the
// request's bodySize.
func appendMessages(b []byte, msgs []LogMessage) []byte {
	b = append(b, '[')
	for i, m := range msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMessage(b, m)
	}
	return append(b, ']')
}

func appendMessage(b []byte, m LogMessage) []byte {
	b = append(b, '{')
	n := len(b)
	b = appendField(b, "role", m.Role)
	b = appendField(b, "content", m.Content)
	if len(b) > n {
		b = b[:len(b)-1]
	}
	return append(b, '}')
}

// appendChoices is JSON.stringify of the choices; its length is the
// response's bodySize.
func appendChoices(b []byte, choices []LogChoice) []byte {
	b = append(b, '[')
	for i, c := range choices {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"index":`...)
		b = appendJSON(b, c.Index)
		b = append(b, `,"logprobs":null,`...)
		b = appendField(b, "finish_reason", c.FinishReason)
		b = append(b, `"message":`...)
		b = appendMessage(b, c.Message)
		b = append(b, '}')
	}
	return append(b, ']')
}
