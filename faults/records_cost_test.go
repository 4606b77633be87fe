//go:build long

package faults

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// TestDeliveryRecordsCost sends the same split load of large LLM spans
// through the collector with its queue in file_storage, with the delivery
// records on and off, alternately in the same run, and prints what the
// records cost: bytes the process wrote (/proc/<pid>/io) and CPU time, per
// span, as ratios of the run without them. Every span must arrive exactly
// once either way.
func TestDeliveryRecordsCost(t *testing.T) {
	const rounds, spans = 2, 2000
	total := map[bool]*ioCost{false: {}, true: {}}
	for round := range rounds {
		for _, records := range []bool{false, true} {
			l := startLedger(t, 1)
			opts, _ := splitQueueOptions(t, l.url)
			opts.Config = strings.Replace(opts.Config, "    max_request_size: 65536\n",
				fmt.Sprintf("    max_request_size: 65536\n    delivery_records:\n      enabled: %t\n", records), 1)
			col := otelcoltest.StartT(t, opts)
			before := procCost(t, col)
			res, err := otelcoltest.Load{
				Endpoint: col.Ports().GRPC, Requests: spans / 100, Workers: 2, SpansPerRequest: 100,
				ContextBytes: largeSpanBytes, Seed: uint64(8000 + round), RecordIDs: true,
			}.Run(testContext(t, time.Minute))
			if err != nil || res.AckedSpans != spans {
				t.Fatalf("records %t: the collector acknowledged %d of %d spans: %v", records, res.AckedSpans, spans, err)
			}
			waitErr := waitForLogged(testContext(t, time.Minute), l, res.Acked)
			settle(t, col, l)
			after := procCost(t, col)
			got := l.tally(res.Acked)
			if waitErr != nil || got.lost != 0 || got.duplicated != 0 {
				t.Errorf("records %t: %d lost, %d duplicated (%v)", records, got.lost, got.duplicated, waitErr)
			}
			if on := strings.Contains(col.Output(), "Delivery records on"); on != records {
				t.Errorf("delivery_records.enabled: %t, but the collector says records on: %t", records, on)
			}
			c := total[records]
			c.cpu += after.cpu - before.cpu
			c.wrote += after.wrote - before.wrote
			c.wchar += after.wchar - before.wchar
			if err := col.Stop(15 * time.Second); err != nil {
				t.Error(err)
			}
		}
	}
	off, on := total[false], total[true]
	n := int64(rounds * spans)
	t.Logf("delivery records cost over %d spans each way (%d rounds, alternating): CPU %v/span without, %v/span with (%.2fx); "+
		"bytes written to disk %d/span without, %d/span with (%.2fx); bytes passed to write() %d/span without, %d/span with (%.2fx)",
		n, rounds, off.cpu/time.Duration(n), on.cpu/time.Duration(n), ratio(float64(on.cpu), float64(off.cpu)),
		off.wrote/n, on.wrote/n, ratio(float64(on.wrote), float64(off.wrote)),
		off.wchar/n, on.wchar/n, ratio(float64(on.wchar), float64(off.wchar)))
}

// ioCost is a process's CPU time and its bytes written, to disk (write_bytes)
// and through write calls (wchar), so far.
type ioCost struct {
	cpu          time.Duration
	wrote, wchar int64
}

func procCost(t *testing.T, col *otelcoltest.Collector) ioCost {
	t.Helper()
	ps, err := col.Proc()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", col.PID()))
	if err != nil {
		t.Fatal(err)
	}
	c := ioCost{cpu: ps.CPU}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ": ")
		v, _ := strconv.ParseInt(value, 10, 64)
		switch name {
		case "write_bytes":
			c.wrote = v
		case "wchar":
			c.wchar = v
		}
	}
	return c
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
