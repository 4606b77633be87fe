package otelcoltest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Options say how to run a collector. Start fills in the zero fields, and
// Collector.Options returns them filled, so that the same collector (same
// ports, same directory, same config) can be started again after a crash.
type Options struct {
	// Binary is the collector to run; empty means Binary().
	Binary string
	// Config is the test's part of the configuration: a text/template
	// executed with Vars and merged over baseConfig, which already sets up
	// health_check, the otlp receiver and the telemetry. It names the
	// exporters, processors and pipelines.
	Config string
	// ConfigFiles, when set, are run as they are instead of Config and the
	// base config: they must listen on Ports themselves (e.g. through
	// environment variables in Env) and have health_check on Ports.Health.
	ConfigFiles []string
	// Args are added to the command line, e.g. --set=...
	Args []string
	// Env is added to the environment of the test.
	Env []string
	// LogLevel is the collector's log level; empty means info.
	LogLevel string
	// MetricsLevel is the level of the collector's own metrics; empty
	// means detailed.
	MetricsLevel string
	// Ports are the listening addresses; zero means new free ports.
	Ports Ports
	// Dir holds the rendered configs and whatever the collector stores
	// (Vars.Dir). Empty means a new temporary directory, removed by Close.
	Dir string
	// ReadyTimeout bounds the wait for health_check; 0 means 30s.
	ReadyTimeout time.Duration
	// Output, if set, also gets everything the collector writes.
	Output io.Writer
}

// Collector is one running collector process.
type Collector struct {
	opts   Options
	cmd    *exec.Cmd
	output *logBuffer
	ownDir bool
	exited chan struct{} // closed once the process has exited
	err    error         // cmd.Wait's result, once exited
}

// Start runs a collector and waits until its health check answers 200. On
// error the process is gone. When it picked the ports itself and another
// process took one of them first, it tries again on new ones.
func Start(opts Options) (*Collector, error) {
	if opts.Ports != (Ports{}) {
		return start(opts)
	}
	for try := 1; ; try++ {
		var err error
		if opts.Ports, err = NewPorts(); err != nil {
			return nil, err
		}
		c, err := start(opts)
		if err == nil || try == 3 || !strings.Contains(err.Error(), "address already in use") {
			return c, err
		}
	}
}

func start(opts Options) (*Collector, error) {
	var err error
	if opts.Binary == "" {
		if opts.Binary, err = Binary(); err != nil {
			return nil, err
		}
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "info"
	}
	if opts.MetricsLevel == "" {
		opts.MetricsLevel = "detailed"
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 30 * time.Second
	}
	ownDir := false
	if opts.Dir == "" {
		if opts.Dir, err = os.MkdirTemp("", "otelcoltest-"); err != nil {
			return nil, err
		}
		ownDir = true
	}
	var flags []string
	if len(opts.ConfigFiles) > 0 {
		for _, f := range opts.ConfigFiles {
			abs, err := filepath.Abs(f) // the collector runs in Dir
			if err != nil {
				return nil, err
			}
			flags = append(flags, "--config="+abs)
		}
	} else {
		vars := Vars{Ports: opts.Ports, MetricsPort: port(opts.Ports.Metrics), Dir: opts.Dir, LogLevel: opts.LogLevel, MetricsLevel: opts.MetricsLevel}
		if flags, err = writeConfigs(opts.Dir, vars, opts.Config); err != nil {
			return nil, err
		}
	}

	cmd := exec.Command(opts.Binary, append(flags, opts.Args...)...)
	cmd.Dir = opts.Dir
	cmd.Env = append(os.Environ(), opts.Env...)
	out := newLogBuffer()
	var w io.Writer = out
	if opts.Output != nil {
		w = io.MultiWriter(out, opts.Output)
	}
	cmd.Stdout, cmd.Stderr = w, w
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", opts.Binary, err)
	}
	c := &Collector{opts: opts, cmd: cmd, output: out, ownDir: ownDir, exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), opts.ReadyTimeout)
	defer cancel()
	if err := c.WaitHealthy(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("otelcol-helicone did not become ready: %w\noutput:\n%s", err, out.String())
	}
	return c, nil
}

// StartT is Start for a test: the collector's directory is a test temp dir
// unless opts.Dir is set, the test fails if it cannot start, and the process
// is stopped when the test ends, its output logged if the test failed.
func StartT(t testing.TB, opts Options) *Collector {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	c, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		if t.Failed() {
			t.Logf("otelcol-helicone (pid %d) output:\n%s", c.PID(), c.Output())
		}
	})
	return c
}

// Options are the options the collector runs with, zero fields filled in.
func (c *Collector) Options() Options { return c.opts }

// Ports are the addresses it listens on.
func (c *Collector) Ports() Ports { return c.opts.Ports }

// PID is the process id.
func (c *Collector) PID() int { return c.cmd.Process.Pid }

// Output is everything the collector wrote so far, stdout and stderr.
func (c *Collector) Output() string { return c.output.String() }

// Lines are the lines of Output.
func (c *Collector) Lines() []string { return c.output.Lines() }

// WaitForOutput blocks until the output holds a line containing every one of
// substrs, and returns that line, or fails when ctx ends or the process exits.
func (c *Collector) WaitForOutput(ctx context.Context, substrs ...string) (string, error) {
	return c.output.waitFor(ctx, c.exited, substrs)
}

// Exited is closed once the process has exited.
func (c *Collector) Exited() <-chan struct{} { return c.exited }

// Running reports whether the process has not exited.
func (c *Collector) Running() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// ExitError is the process's exit status as cmd.Wait reported it, once it
// has exited.
func (c *Collector) ExitError() error {
	<-c.exited
	return c.err
}

// ProcessState is the exited process's state, with its resource usage
// (SysUsage); nil while it runs.
func (c *Collector) ProcessState() *os.ProcessState {
	if c.Running() {
		return nil
	}
	return c.cmd.ProcessState
}

// WaitHealthy polls the health check until it answers 200, the process
// exits, or ctx ends.
func (c *Collector) WaitHealthy(ctx context.Context) error {
	var last error
	for {
		if last = c.Healthy(ctx); last == nil {
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("exited: %v", c.err)
		case <-ctx.Done():
			return fmt.Errorf("%w; last: %v", context.Cause(ctx), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Healthy asks health_check once; nil means 200.
func (c *Collector) Healthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.opts.Ports.Health+"/", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health_check answered %s", resp.Status)
	}
	return nil
}

// Stop sends SIGTERM and waits up to timeout for the process to exit, then
// kills it. It returns an error when the process had to be killed or exited
// with an error; nil when it had already exited cleanly.
func (c *Collector) Stop(timeout time.Duration) error {
	if !c.Running() {
		return c.err
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case <-c.exited:
		if c.err != nil {
			return fmt.Errorf("exited with %w after SIGTERM", c.err)
		}
		return nil
	case <-time.After(timeout):
		c.Kill()
		return fmt.Errorf("still running %s after SIGTERM; killed", timeout)
	}
}

// Kill ends the process with SIGKILL, as a crash or the OOM killer would, and
// waits for it to be gone.
func (c *Collector) Kill() {
	if c.Running() {
		_ = c.cmd.Process.Kill()
	}
	<-c.exited
}

// Close stops the process if it still runs (SIGTERM, SIGKILL after 10s) and
// removes the directory Start created.
func (c *Collector) Close() {
	_ = c.Stop(10 * time.Second)
	if c.ownDir {
		_ = os.RemoveAll(c.opts.Dir)
	}
}
