// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package genai

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genaijson"
)

// The reference: the mapper decoded messages with encoding/json into the same structs,
// through these two methods, before the decoder.

func (c *jsonContent) UnmarshalJSON(data []byte) error {
	switch data[0] {
	case '"':
		return json.Unmarshal(data, &c.Text)
	case '[':
		if err := json.Unmarshal(data, &c.Parts); err != nil && !isTypeError(err) {
			return err
		}
	case 'n':
	default:
		return c.Raw.UnmarshalJSON(data)
	}
	return nil
}

func (r *rawJSON) UnmarshalJSON(data []byte) error {
	v, err := genaijson.Parse(string(data))
	r.Value = v
	return err
}

// isTypeError tells a value of an unexpected type, which encoding/json skips while
// decoding the rest, from JSON that is not JSON.
func isTypeError(err error) bool {
	var typeErr *json.UnmarshalTypeError
	return errors.As(err, &typeErr)
}

// FuzzDecoder holds the decoder to encoding/json, which decoded the messages before
// it: any text is messages that render to the same texts and roles, or both refuse it.
func FuzzDecoder(f *testing.F) {
	for _, seed := range []string{
		`[{"role":"user","parts":[{"type":"text","content":"Hi \u00e9\n"}]},{"role":"assistant","parts":[{"type":"tool_call","id":"c","name":"f","arguments":{"a": [1, 2]}}],"finish_reason":"stop"}]`,
		`[{"role":"tool","parts":[{"type":"tool_call_response","id":"c","response":"ok"}]},{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]`,
		`[{"role":"assistant","content":null,"tool_calls":[{"id":"x","function":{"name":"f","arguments":"{\"a\":1}"}}]}]`,
		`[{"toolResult":{"toolUseId":"t","content":[{"json":{"a":1}}]}},{"image":{"format":"png","source":{"bytes":"AA"}}}]`,
		`[{"role":"user","content":[{"functionCall":{"name":"f","args":{}}},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]}]`,
		`[{"event.name":"gen_ai.choice","message":{"role":"assistant","content":"x"},"finish_reason":"stop"}]`,
		`[{"Role":"user","CONTENT":"x"},{"role":5,"parts":"no"},1,null,"s",[]]`,
		`[{"role":"user","content":[{"type":"tool-result","toolCallId":"t","output":{"type":"json","value":{"b":true}}},{"type":"file","file":{"file_id":"f"}},{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]`,
		`[{"role":"user","content":[{"type":"image","source":{"media_type":"image/png","data":"AAAA"}},{"type":"reasoning","text":"r"},{"type":"blob","modality":"image","mime_type":"image/png","content":"AAAA"}]}]`,
		`[{"role":"\ud83d\ude00","finish_reason":"\u0000"}]`, `[{`, ``, `{}`,
	} {
		f.Add(seed)
	}
	var d decoder
	f.Fuzz(func(t *testing.T, s string) {
		var want []jsonMessage
		err := json.Unmarshal([]byte(s), &want)
		v, perr := genaijson.Parse(s)
		if err != nil && !isTypeError(err) {
			return // malformed or not an array: parseMessages refuses it before decoding
		}
		require.NoError(t, perr)
		if v.Kind() != genaijson.Array || hasDuplicateKeys(v) {
			return // duplicate keys: encoding/json merges the second array or object into the first, the decoder takes the last
		}
		d.reset()
		got := d.messages(v, nil)
		require.Len(t, got, len(want))
		for i := range want {
			require.Equal(t, want[i].Role, got[i].Role, "message %d role", i)
			require.Equal(t, want[i].FinishReason, got[i].FinishReason, "message %d finish_reason", i)
			require.Equal(t, want[i].EventName, got[i].EventName, "message %d event.name", i)
			require.Equal(t, allToolResults(want[i].parts()), allToolResults(got[i].parts()), "message %d tool results", i)
			require.Equal(t, string(appendMessage(nil, &want[i])), string(appendMessage(nil, &got[i])), "message %d text", i)
		}
	})
}

// hasDuplicateKeys reports whether an object in v has two keys that match the same field.
func hasDuplicateKeys(v genaijson.Value) bool {
	var keys []string
	for it := v.Members(); ; {
		k, val, ok := it.Next()
		if !ok {
			break
		}
		name := keyName(nil, k)
		for _, seen := range keys {
			if strings.EqualFold(seen, name) {
				return true
			}
		}
		keys = append(keys, name)
		if hasDuplicateKeys(val) {
			return true
		}
	}
	for it := v.Elements(); ; {
		e, ok := it.Next()
		if !ok {
			return false
		}
		if hasDuplicateKeys(e) {
			return true
		}
	}
}

// TestDecoderBlocks: blocks takes arrays of content blocks only, refusing one with a
// value of the wrong type as encoding/json did.
func TestDecoderBlocks(t *testing.T) {
	var d decoder
	for s, want := range map[string]bool{
		`[{"type":"text","text":"a"},{"toolUse":{"name":"f","toolUseId":"t","input":{}}}]`: true,
		` [{"text":"a"}]`:                      true,
		`[{"type":"text","text":5}]`:           false,
		`[{"type":"text"},"a"]`:                false,
		`[{"toolUse":"f"}]`:                    false,
		`[{"type":"unknown_kind","text":"a"}]`: false,
		`[]`:                                   false,
		`plain text`:                           false,
		`[1, 2`:                                false,
	} {
		parts, ok := d.blocks(s)
		require.Equal(t, want, ok, s)
		require.Equal(t, want, len(parts) > 0, s)
	}
}

// FuzzInvocationParams holds the readers of OpenInference's JSON attributes to
// encoding/json, which read them before: the same max tokens, model and metadata.
func FuzzInvocationParams(f *testing.F) {
	for _, seed := range []string{
		`{"model":"gpt-4o","max_tokens":256,"temperature":0.1}`, `{"max_completion_tokens":1,"max_output_tokens":2}`,
		`{"max_tokens":1.5}`, `{"MODEL":"m","Max_Tokens":3}`, `{"model":5}`, `null`, `[]`, `{"max_tokens":null,"max_output_tokens":7}`,
		`{"user_id":"u","n":3,"b":true,"x":{"y":1e400}}`, `{"a":"x","a":true,"\u0062":"c"}`,
		`{"maX_Tokens":4}`, `{"\u006dax_tokens":5}`, "{\"max_to\u212aens\":6}", `{"_max_tokens":1,"max_":2}`, `{"temperature":0.2}`, `{"max_tokens":"x"}`,
		`{"usage":{"prompt_tokens":3,"input_tokens":4}}`, `{"usage":{"input_tokens":4,"total_tokens":"x"}}`, `{"usage":null}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var model struct {
			Model string `json:"model"`
		}
		wantModel := ""
		if s != "" && json.Unmarshal([]byte(s), &model) == nil {
			wantModel = model.Model
		}
		require.Equal(t, wantModel, modelOfParams(s), "model")
		var limits struct {
			MaxTokens           *int64 `json:"max_tokens"`
			MaxCompletionTokens *int64 `json:"max_completion_tokens"`
			MaxOutputTokens     *int64 `json:"max_output_tokens"`
		}
		wantN, wantOK := int64(0), false
		if s != "" && json.Unmarshal([]byte(s), &limits) == nil {
			for _, n := range [...]*int64{limits.MaxTokens, limits.MaxCompletionTokens, limits.MaxOutputTokens} {
				if n != nil {
					wantN, wantOK = *n, true
					break
				}
			}
		}
		n, ok := maxTokensOfParams(pcommon.NewValueStr(s))
		require.Equal(t, wantOK, ok, "max tokens found")
		require.Equal(t, wantN, n, "max tokens")

		var resp struct {
			Usage struct {
				PromptTokens     *int64 `json:"prompt_tokens"`
				CompletionTokens *int64 `json:"completion_tokens"`
				TotalTokens      *int64 `json:"total_tokens"`
				InputTokens      *int64 `json:"input_tokens"`
				OutputTokens     *int64 `json:"output_tokens"`
			} `json:"usage"` // the old reader's struct: a wrong type in any count refused all
		}
		wantN, wantOK = 0, false
		if json.Unmarshal([]byte(s), &resp) == nil {
			if c := resp.Usage.PromptTokens; c != nil || resp.Usage.InputTokens != nil {
				if c == nil {
					c = resp.Usage.InputTokens
				}
				wantN, wantOK = *c, isSafeInt(*c)
			}
		}
		n, ok = lfUsage(lfPromptTokens, lfInputTokens)(pcommon.NewValueStr(s))
		require.Equal(t, wantOK, ok, "usage found")
		if ok {
			require.Equal(t, wantN, n, "usage")
		}

		var fields map[string]any
		var want []string
		if s != "" && json.Unmarshal([]byte(s), &fields) == nil {
			for _, name := range slices.Sorted(maps.Keys(fields)) {
				switch x := fields[name].(type) {
				case string:
					want = append(want, name+"="+x)
				case float64:
					want = append(want, name+"="+pcommon.NewValueDouble(x).AsString())
				}
			}
		}
		m := NewMapper(Settings{})
		m.vals[oiMetadata], m.has[oiMetadata] = pcommon.NewValueStr(s), true
		m.addOIMetadata()
		var got []string
		for _, e := range m.meta {
			got = append(got, e.name+"="+e.textOf())
		}
		require.Equal(t, want, got, "metadata")
	})
}

// FuzzLogfireData holds Logfire's request_data and response_data readers to the
// encoding/json ones they replaced: the same model, prompts and completions.
func FuzzLogfireData(f *testing.F) {
	for _, seed := range []string{
		`{"model":"gpt-4o","system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":"x"}],"input":["a",{"b":1}]}`,
		`{"message":{"role":"assistant","content":"x","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"stop"}`,
		`{"text":"t","combined_chunk_content":"c"}`, `{"Model":"m","model":5,"messages":null,"prompt":"p"}`, `{"message":null,"text":"t"}`,
		`{"message":5}`, `[]`, `null`, `{`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := genaijson.Parse(s)
		if err == nil && hasDuplicateKeys(v) {
			return // see FuzzDecoder
		}
		var model struct {
			Model string `json:"model"`
		}
		_ = json.Unmarshal([]byte(s), &model)
		require.Equal(t, model.Model, lfModel(s), "model")

		got, want := NewMapper(Settings{MaxContent: 1 << 20}), NewMapper(Settings{MaxContent: 1 << 20})
		for _, m := range []*Mapper{got, want} {
			m.vals[lfRequest], m.has[lfRequest] = pcommon.NewValueStr(s), true
			m.vals[lfResponse], m.has[lfResponse] = pcommon.NewValueStr(s), true
		}
		got.addLogfireRequest()
		got.addLogfireResponse()
		want.oldLogfireRequest()
		want.oldLogfireResponse()
		require.Equal(t, want.arena, got.arena)
		require.Equal(t, want.issues, got.issues)
	})
}

// oldParse is the mapper's parse before the decoder.
func (m *Mapper) oldParse(s, opens string, v any) bool {
	trimmed := strings.TrimLeft(s, " \t\r\n")
	if trimmed == "" || strings.IndexByte(opens, trimmed[0]) < 0 {
		m.issues[IssueMalformedJSON]++
		return false
	}
	if err := json.Unmarshal([]byte(s), v); err != nil && !isTypeError(err) {
		m.issues[IssueMalformedJSON]++
		return false
	}
	return true
}

func (m *Mapper) oldLogfireRequest() {
	var req struct {
		System   jsonContent     `json:"system"`
		Messages json.RawMessage `json:"messages"`
		Prompt   rawJSON         `json:"prompt"`
		Input    rawJSON         `json:"input"`
	}
	if data := m.str(lfRequest); data == "" || !m.oldParse(data, "{", &req) {
		return
	}
	if req.System.Text != "" || len(req.System.Parts) > 0 {
		m.addPrompt("system", appendContent(m.text[:0], &req.System))
	}
	if len(req.Messages) > 0 {
		m.addPrompts(string(req.Messages))
	}
	m.addTextPrompts(firstRaw(req.Prompt, req.Input))
}

func (m *Mapper) oldLogfireResponse() {
	var resp struct {
		Message      *jsonMessage `json:"message"`
		Text         string       `json:"text"`
		Combined     string       `json:"combined_chunk_content"`
		FinishReason string       `json:"finish_reason"`
	}
	if data := m.str(lfResponse); data == "" || !m.oldParse(data, "{", &resp) {
		return
	}
	switch {
	case resp.Message != nil:
		m.addCompletion(resp.Message.Role, appendMessage(m.text[:0], resp.Message), resp.FinishReason)
	case resp.Text != "" || resp.Combined != "":
		m.addCompletion("assistant", append(m.text[:0], cmpOr(resp.Text, resp.Combined)...), resp.FinishReason)
	}
}
