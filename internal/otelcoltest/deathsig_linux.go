package otelcoltest

import (
	"os/exec"
	"syscall"
)

// setDeathSignal kills the collector if the process that started it dies
// first (e.g. a test binary timing out), so that no collector outlives it.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
