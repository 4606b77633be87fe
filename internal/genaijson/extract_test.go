package genaijson

import (
	"bytes"
	"encoding/json"
)

// extracted is what a mapper takes from a messages array: the texts of the
// messages' fields and of their parts' fields, as one comparable value.
type extracted struct {
	Messages []extractedMessage
}

type extractedMessage struct {
	Role, Name, FinishReason, Content, ToolCalls string
	Parts                                        []extractedPart
}

type extractedPart struct {
	Type, Text, Content, ID, Name, Arguments, Response, Result, MimeType, URI string
}

// extract reads s with this package.
func extract(s string) (extracted, error) {
	v, err := Parse(s)
	if err != nil {
		return extracted{}, err
	}
	var out extracted
	text := func(v Value) string { return string(v.AppendText(nil)) }
	for msgs := v.Elements(); ; {
		mv, ok := msgs.Next()
		if !ok {
			break
		}
		m := ReadMessage(mv)
		em := extractedMessage{Role: text(m.Role), Name: text(m.Name), FinishReason: text(m.FinishReason),
			Content: text(m.Content), ToolCalls: text(m.ToolCalls)}
		for parts := m.Parts.Elements(); ; {
			pv, ok := parts.Next()
			if !ok {
				break
			}
			p := ReadPart(pv)
			em.Parts = append(em.Parts, extractedPart{Type: text(p.Type), Text: text(p.Text), Content: text(p.Content),
				ID: text(p.ID), Name: text(p.Name), Arguments: text(p.Arguments), Response: text(p.Response),
				Result: text(p.Result), MimeType: text(p.MimeType), URI: text(p.URI)})
		}
		out.Messages = append(out.Messages, em)
	}
	return out, nil
}

// extractStd reads s with encoding/json, the reference: a member's text is
// a string decoded, nothing for null, any other value compacted.
func extractStd(s string) (extracted, error) {
	if !json.Valid([]byte(s)) {
		return extracted{}, json.Unmarshal([]byte(s), new(any))
	}
	var out extracted
	var msgs []json.RawMessage
	if json.Unmarshal([]byte(s), &msgs) != nil {
		return out, nil // not an array: no messages
	}
	for _, raw := range msgs {
		fields := members(raw)
		em := extractedMessage{Role: stdText(fields["role"]), Name: stdText(fields["name"]),
			FinishReason: stdText(fields["finish_reason"]), Content: stdText(fields["content"]),
			ToolCalls: stdText(fields["tool_calls"])}
		var parts []json.RawMessage
		if p := fields["parts"]; len(p) > 0 && p[0] == '[' {
			_ = json.Unmarshal(p, &parts)
		}
		for _, praw := range parts {
			pf := members(praw)
			em.Parts = append(em.Parts, extractedPart{Type: stdText(pf["type"]), Text: stdText(pf["text"]),
				Content: stdText(pf["content"]), ID: stdText(pf["id"]), Name: stdText(pf["name"]),
				Arguments: stdText(pf["arguments"]), Response: stdText(pf["response"]), Result: stdText(pf["result"]),
				MimeType: stdText(pf["mime_type"]), URI: stdText(pf["uri"])})
		}
		out.Messages = append(out.Messages, em)
	}
	return out, nil
}

// members decodes an object into its members (the last of duplicate keys
// wins); nil for any other value.
func members(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

func stdText(raw json.RawMessage) string {
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] == '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	var b bytes.Buffer
	_ = json.Compact(&b, raw)
	return b.String()
}
