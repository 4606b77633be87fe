package otelcoltest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
)

// logBuffer collects a process's output from two pipes and wakes waiters on
// every write.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	close(b.changed)
	b.changed = make(chan struct{})
	return n, err
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines are the complete lines written so far.
func (b *logBuffer) Lines() []string {
	s := b.String()
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	} else {
		return nil
	}
	return strings.Split(s, "\n")
}

// waitFor blocks until a line contains all of substrs, ctx ends or exited
// is closed.
func (b *logBuffer) waitFor(ctx context.Context, exited <-chan struct{}, substrs []string) (string, error) {
	for {
		// Wait returns only after all output was copied: once exited is
		// closed, the buffer is complete.
		gone := isClosed(exited)
		b.mu.Lock()
		text, changed := b.buf.String(), b.changed
		b.mu.Unlock()
		for line := range strings.SplitSeq(text, "\n") {
			if containsAll(line, substrs) {
				return line, nil
			}
		}
		if gone {
			return "", fmt.Errorf("the collector exited without logging a line with %q", substrs)
		}
		select {
		case <-changed:
		case <-exited:
		case <-ctx.Done():
			return "", fmt.Errorf("no line with %q logged: %w", substrs, context.Cause(ctx))
		}
	}
}

func containsAll(s string, substrs []string) bool {
	for _, sub := range substrs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
