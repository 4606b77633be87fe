//go:build unix

package main

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used: on a machine shared
// with other work, a benchmark's CPU per op is steadier than its wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
