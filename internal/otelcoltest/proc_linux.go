package otelcoltest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ProcStats are a process's memory and CPU use as the kernel accounts them.
type ProcStats struct {
	RSS     int64         // resident set size now, bytes (VmRSS)
	PeakRSS int64         // the highest RSS so far, bytes (VmHWM)
	CPU     time.Duration // user plus system CPU time so far
}

// userHZ is the unit of the CPU times in /proc/<pid>/stat: the kernel's
// USER_HZ, 100 on every Linux architecture Go supports.
const userHZ = 100

// Proc reads the collector's ProcStats from /proc while it runs.
func (c *Collector) Proc() (ProcStats, error) { return ReadProc(c.PID()) }

// ReadProc reads a running process's ProcStats from /proc/<pid>/status and
// /proc/<pid>/stat.
func ReadProc(pid int) (ProcStats, error) {
	var ps ProcStats
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ps, err
	}
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch name {
		case "VmRSS":
			ps.RSS, err = parseKB(value)
		case "VmHWM":
			ps.PeakRSS, err = parseKB(value)
		}
		if err != nil {
			return ps, fmt.Errorf("/proc/%d/status %s: %w", pid, name, err)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ps, err
	}
	// The command name (field 2) may hold spaces; the fields after its
	// closing parenthesis start with field 3, the state.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return ps, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 13 {
		return ps, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime (14) and stime (15)
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return ps, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	ps.CPU = time.Duration(ticks) * time.Second / userHZ
	return ps, nil
}

// parseKB reads a /proc/<pid>/status size such as "  123456 kB".
func parseKB(s string) (int64, error) {
	f := strings.Fields(s)
	if len(f) != 2 || f[1] != "kB" {
		return 0, fmt.Errorf("unexpected size %q", s)
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	return n * 1024, err
}
