package otelcoltest

import (
	"os"
	"testing"
	"time"
)

func TestReadProc(t *testing.T) {
	before, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Burn some CPU and touch some memory.
	buf := make([]byte, 64<<20)
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
		for i := 0; i < len(buf); i += 4096 {
			buf[i]++
		}
	}
	after, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after.CPU <= before.CPU {
		t.Errorf("CPU time went from %s to %s while the test burned CPU", before.CPU, after.CPU)
	}
	if after.PeakRSS < after.RSS || after.RSS < 64<<20 {
		t.Errorf("RSS %d, peak %d: want peak >= RSS >= the 64 MiB just touched", after.RSS, after.PeakRSS)
	}
	if _, err := ReadProc(-1); err == nil {
		t.Error("no error for a process that does not exist")
	}
	_ = buf[0]
}
