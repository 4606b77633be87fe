package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
)

type countingReceiver struct {
	ptraceotlp.UnimplementedGRPCServer
	spans atomic.Int64
}

func (r *countingReceiver) Export(_ context.Context, req ptraceotlp.ExportRequest) (ptraceotlp.ExportResponse, error) {
	r.spans.Add(int64(req.Traces().SpanCount()))
	return ptraceotlp.NewExportResponse(), nil
}

func TestRunReportsAcknowledgedSpans(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &countingReceiver{}
	s := grpc.NewServer()
	ptraceotlp.RegisterGRPCServer(s, r)
	go func() { _ = s.Serve(l) }()
	defer s.Stop()

	var out bytes.Buffer
	if err := run(context.Background(), []string{"-endpoint", l.Addr().String(), "-rate", "1000", "-duration", "300ms", "-workers", "2", "-spans", "10"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if r.spans.Load() == 0 || !strings.Contains(out.String(), "acknowledged") {
		t.Fatalf("the receiver got %d spans; output:\n%s", r.spans.Load(), out.String())
	}
}

func TestRunFailsWhenNothingListens(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var out bytes.Buffer
	err = run(context.Background(), []string{"-endpoint", addr, "-duration", "200ms", "-workers", "1"}, &out)
	if err == nil || !strings.Contains(err.Error(), "no request was acknowledged") {
		t.Fatalf("run = %v, want an error saying nothing was acknowledged\n%s", err, out.String())
	}
}

func TestParseFlagsRejects(t *testing.T) {
	for _, args := range [][]string{
		{"-protocol", "udp"}, {"-rate", "-1"}, {"-duration", "0s"}, {"-workers", "0"}, {"-spans", "0"}, {"extra"}, {"-conventions", "vercel"},
	} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	l, err := parseFlags([]string{"-protocol", "http", "-conventions", "openllmetry"}, &bytes.Buffer{})
	if err != nil || l.Endpoint != "127.0.0.1:4318" || len(l.Conventions) != 1 {
		t.Errorf("-protocol http -conventions openllmetry: endpoint %q, conventions %v, %v; want the default OTLP/HTTP address and one convention", l.Endpoint, l.Conventions, err)
	}
}
