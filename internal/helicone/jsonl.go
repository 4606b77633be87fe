package helicone

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// JSONLines writes each logged request body as one compact JSON line, so
// that a session can be replayed or inspected with jq. It is safe for
// concurrent use.
type JSONLines struct {
	mu sync.Mutex
	w  io.Writer
}

// NewJSONLines returns a JSONLines writing to w.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{w: w} }

// Write appends the request's body as one line.
func (j *JSONLines) Write(r Request) error {
	var line bytes.Buffer
	if err := json.Compact(&line, r.Body); err != nil {
		return err
	}
	line.WriteByte('\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err := j.w.Write(line.Bytes())
	return err
}
