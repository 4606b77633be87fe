package e2e

import (
	"os/exec"
	"syscall"
)

// setDeathSignal kills the collector if the test binary dies first (e.g. on
// a test timeout), so that no process outlives the tests.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
