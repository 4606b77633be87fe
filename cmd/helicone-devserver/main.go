// Command helicone-devserver is a local Helicone-compatible endpoint for
// POST /v1/trace/log: it validates, logs and prints each call the way
// Helicone's server would, so that the exporter can be tried without an
// account, and it can be told to fail, stall or drop connections.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/otelcol-helicone/otelcol-helicone/internal/cli"
	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

func main() { cli.Main("helicone-devserver", run) }

// run serves until ctx ends. The first line it writes is the banner naming
// the endpoint, written once the server is listening.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	out := &lockedWriter{w: stdout}
	fs := flag.NewFlagSet("helicone-devserver", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", "127.0.0.1:8585", "listen address (8585 is self-hosted Helicone's port)")
	apiKey := fs.String("api-key", os.Getenv("HELICONE_DEVSERVER_KEY"), "the one API key accepted (default $HELICONE_DEVSERVER_KEY); empty accepts any non-empty key")
	prefix := fs.String("path-prefix", "", `path before /v1/trace/log, e.g. "/jawn" as behind the Helm chart's ingress`)
	maxBody := fs.Int64("max-body-bytes", helicone.DefaultMaxBodyBytes, "body limit after inflation")
	tooLarge := fs.Int("too-large-status", 500, "status for a body over the limit: 500 as Helicone, 413 as an ingress")
	jsonl := fs.String("jsonl", "", "write each logged request body to this file as one JSON line")
	quiet := fs.Bool("quiet", false, "do not print calls and rejections")
	failStatus := fs.Int("fail-status", 0, "status to answer the failed requests with (see -fail-count)")
	failCount := fs.Int("fail-count", 0, "answer this many of the first requests with -fail-status; -1 for every request")
	retryAfter := fs.String("retry-after", "", "Retry-After sent with -fail-status, verbatim: seconds or an HTTP date")
	delay := fs.Duration("delay", 0, "hold every answer back this long")
	dropCount := fs.Int("drop-count", 0, "close the connection of this many of the first requests without answering; -1 for every request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *failCount != 0 && *failStatus == 0 {
		return errors.New("-fail-count needs -fail-status")
	}

	printer := helicone.NewPrinter(out)
	opts := helicone.Options{
		APIKey:         *apiKey,
		PathPrefix:     *prefix,
		MaxBodyBytes:   *maxBody,
		TooLargeStatus: *tooLarge,
		Faults: helicone.Faults{
			Delay:     *delay,
			DropCount: *dropCount,
			FailCount: *failCount,
			Fail:      helicone.Failure{Status: *failStatus, RetryAfter: *retryAfter},
		},
	}
	if !*quiet {
		opts.OnLog = printer.PrintRequest
		opts.OnReject = printer.PrintReject
	}
	if *jsonl != "" {
		f, err := os.Create(*jsonl)
		if err != nil {
			return err
		}
		defer f.Close()
		lines, printCall := helicone.NewJSONLines(f), opts.OnLog
		opts.OnLog = func(r helicone.Request) {
			if printCall != nil {
				printCall(r)
			}
			if err := lines.Write(r); err != nil {
				fmt.Fprintf(out, "helicone-devserver: -jsonl: %v\n", err)
			}
		}
	}

	srv := helicone.New(opts)
	if err := srv.Start(*addr); err != nil {
		return err
	}
	keys := "any non-empty API key"
	if *apiKey != "" {
		keys = "only the configured API key"
	}
	fmt.Fprintf(out, "helicone-devserver: set the exporter's endpoint to %s (accepting %s)\n", srv.URL(), keys)

	<-ctx.Done()
	err := srv.Close()
	fmt.Fprintf(out, "helicone-devserver: stopped after logging %d span(s), %d unique\n", srv.SpanCount(), srv.UniqueSpans())
	return err
}

// lockedWriter lets the banner and the printer share stdout.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
