package groundtruth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// RecordedCall is one call as the LLM server saw it: one line of calls.jsonl,
// the fields the judge compares (the record has more, e.g. user and session).
type RecordedCall struct {
	Suite  string `json:"suite"`
	API    string `json:"api"` // e.g. openai.chat, openai.responses, openai.embeddings, anthropic.messages
	Model  string `json:"model"`
	Stream bool   `json:"stream"`
	Status int    `json:"status"`
	// Start and End are in the server's clock, in Unix nanoseconds.
	Start nanos `json:"t_start_ns"`
	End   nanos `json:"t_end_ns"`

	Messages         []RecordedMessage  `json:"messages"`
	ResponseText     string             `json:"response_text"`
	ToolCalls        []RecordedToolCall `json:"tool_calls"`
	PromptTokens     *int64             `json:"prompt_tokens"`
	CompletionTokens *int64             `json:"completion_tokens"`
	ResponseID       string             `json:"response_id"`

	// Line is the call's line in calls.jsonl, 1-based, to name it in reports.
	Line int `json:"-"`
}

// RecordedMessage is one request message, its content flattened to text.
type RecordedMessage struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// RecordedToolCall is one tool call the server answered with.
type RecordedToolCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Failed says whether the server answered the call with an error.
func (c RecordedCall) Failed() bool { return c.Status >= 400 }

// Record is calls.jsonl read: the calls of each suite in order, and each
// suite's clock offset (how far ahead of the server its span clock ran).
type Record struct {
	Calls   map[string][]RecordedCall
	Offsets map[string]int64
}

// nanos reads a Unix-nanosecond time written as a JSON number or string (the
// Python and Node recorders differ), without going through float64.
type nanos int64

func (n *nanos) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("time %s is not integer nanoseconds", b)
	}
	*n = nanos(v)
	return nil
}

// ReadRecord reads calls.jsonl.
func ReadRecord(r io.Reader) (Record, error) {
	rec := Record{Calls: map[string][]RecordedCall{}, Offsets: map[string]int64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var head struct {
			Kind   string `json:"kind"`
			Suite  string `json:"suite"`
			Offset nanos  `json:"offset_ns"`
		}
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
			return Record{}, fmt.Errorf("calls.jsonl line %d: %w", line, err)
		}
		if head.Suite == "" {
			return Record{}, fmt.Errorf("calls.jsonl line %d: no suite", line)
		}
		if head.Kind == "clock" {
			rec.Offsets[head.Suite] = int64(head.Offset)
			continue
		}
		var c RecordedCall
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return Record{}, fmt.Errorf("calls.jsonl line %d: %w", line, err)
		}
		c.Line = line
		rec.Calls[c.Suite] = append(rec.Calls[c.Suite], c)
	}
	if err := sc.Err(); err != nil {
		return Record{}, fmt.Errorf("reading calls.jsonl: %w", err)
	}
	return rec, nil
}
