// Package cli is the one main() of the project's commands: each command is a
// run(ctx, args, stdout) function that tests call in-process, and this wires it to
// the process (signals, arguments, exit status).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Main runs run until it returns or the process gets SIGINT or SIGTERM (which cancel
// its context), and exits 1 on an error, 2 on -h.
func Main(name string, run func(ctx context.Context, args []string, stdout io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
