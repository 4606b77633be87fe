package helicone

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Printer writes each logged call as Helicone would show the request log, so
// that a developer sees what the exporter's spans become: provider, model,
// messages, choices, tokens, user, session and properties. Spans that are
// not LLM calls show up too, as they would in Helicone. It never prints
// headers, so never the API key. It is safe for concurrent use.
type Printer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewPrinter returns a Printer writing to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w} }

// PrintRequest writes a logged request and each of its calls.
func (p *Printer) PrintRequest(r Request) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s logged %d span(s) from %d bytes", r.Received.Format("15:04:05.000"), len(r.Calls), len(r.Body))
	if enc := r.Header.Get("Content-Encoding"); enc != "" {
		fmt.Fprintf(&b, " (%d as %s)", r.WireBytes, enc)
	}
	b.WriteByte('\n')
	for _, c := range r.Calls {
		writeCall(&b, c)
	}
	p.write(b.String())
}

// PrintReject writes a request that was not logged, and why.
func (p *Printer) PrintReject(status int, reason string) {
	answer := "dropped"
	if status != 0 {
		answer = strconv.Itoa(status)
	}
	p.write(fmt.Sprintf("rejected (%s): %s\n", answer, reason))
}

func (p *Printer) write(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.w, s)
}

func writeCall(b *strings.Builder, c Call) {
	fmt.Fprintf(b, "  call %q: provider %s, model %s", c.SpanName, orNone(c.Provider), orNone(c.Model))
	if c.RequestType != "" {
		fmt.Fprintf(b, ", type %s", c.RequestType)
	}
	fmt.Fprintf(b, ", %s\n", c.Duration())
	if c.UserID != "" {
		fmt.Fprintf(b, "    user %s\n", c.UserID)
	}
	if c.SessionID != "" || c.SessionPath != "" || c.SessionName != "" {
		fmt.Fprintf(b, "    session %s, path %s, name %s\n", orNone(c.SessionID), orNone(c.SessionPath), orNone(c.SessionName))
	}
	for _, k := range slices.Sorted(maps.Keys(c.Properties)) {
		fmt.Fprintf(b, "    property %s = %s\n", k, c.Properties[k])
	}
	for _, m := range c.Messages {
		fmt.Fprintf(b, "    > %s: %s\n", orNone(m.Role), indent(m.Content))
	}
	for _, ch := range c.Choices {
		fmt.Fprintf(b, "    < %s (%s): %s\n", orNone(ch.Role), orNone(ch.FinishReason), indent(ch.Content))
	}
	if c.PromptTokens != nil || c.CompletionTokens != nil || c.TotalTokens != nil || c.MaxTokens != nil {
		fmt.Fprintf(b, "    tokens: prompt %s, completion %s, total %s, max %s\n",
			count(c.PromptTokens), count(c.CompletionTokens), count(c.TotalTokens), count(c.MaxTokens))
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func count(n *int64) string {
	if n == nil {
		return "-"
	}
	return strconv.FormatInt(*n, 10)
}

// indent keeps multi-line content under its message.
func indent(s string) string {
	return strings.ReplaceAll(s, "\n", "\n      ")
}
