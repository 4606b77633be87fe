package otelcoltest

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestLogBufferWaitFor(t *testing.T) {
	b := newLogBuffer()
	exited := make(chan struct{})
	go func() {
		for i := range 5 {
			fmt.Fprintf(b, "line %d\tinfo\tExporting failed. Will retry\n", i)
			time.Sleep(5 * time.Millisecond)
		}
		fmt.Fprintf(b, "line 5\terror\tconnection refused\n")
		close(exited)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	line, err := b.waitFor(ctx, make(chan struct{}), []string{"error", "refused"})
	if err != nil || line != "line 5\terror\tconnection refused" {
		t.Fatalf("waitFor = %q, %v", line, err)
	}
	if _, err := b.waitFor(ctx, exited, []string{"never logged"}); err == nil {
		t.Fatal("waitFor found a line that was never written")
	}
	if n := len(b.Lines()); n != 6 {
		t.Errorf("%d lines, want 6", n)
	}
}
