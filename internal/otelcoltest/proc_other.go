//go:build !linux

package otelcoltest

import (
	"errors"
	"time"
)

// ProcStats are a process's memory and CPU use as the kernel accounts them.
type ProcStats struct {
	RSS     int64
	PeakRSS int64
	CPU     time.Duration
}

// Proc needs Linux's /proc.
func (c *Collector) Proc() (ProcStats, error) { return ReadProc(c.PID()) }

// ReadProc needs Linux's /proc.
func ReadProc(int) (ProcStats, error) {
	return ProcStats{}, errors.New("otelcoltest: /proc is Linux only")
}
