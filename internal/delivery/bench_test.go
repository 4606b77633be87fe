package delivery

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// benchSpans and benchParts shape a large LLM batch split over requests:
// 1024 spans with 4 KiB prompts (about 4 MiB) sent as 8 requests.
const (
	benchSpans = 1024
	benchParts = 8
)

// BenchmarkSplitBatch sends one split batch per iteration, encoding each
// part as OTLP/JSON to stand for the exporter's own work, without records
// (the baseline) and with them in the contrib file_storage extension, as
// configured by default and with fsync. Compare ns/op with the baseline;
// written-B/span is what the records write per span. (The in-memory
// storagetest client copies its whole map on every write, so it would
// measure itself.)
func BenchmarkSplitBatch(b *testing.B) {
	td := batch(1, benchSpans)
	prompt := strings.Repeat("x", 4096)
	parts := make([]ptrace.Traces, benchParts)
	for i := range parts {
		parts[i] = ptrace.NewTraces()
		parts[i].ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	}
	i := 0
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, s := range ss.Spans().All() {
				s.Attributes().PutStr("gen_ai.prompt.0.content", prompt)
				s.CopyTo(parts[i*benchParts/benchSpans].ResourceSpans().At(0).ScopeSpans().At(0).Spans().AppendEmpty())
				i++
			}
		}
	}
	partIDs := make([][]ID, len(parts))
	for n, part := range parts {
		partIDs[n] = ids(part)
	}

	b.Run("no-records", func(b *testing.B) {
		for b.Loop() {
			for _, part := range parts {
				encode(b, part)
			}
		}
	})
	run := func(b *testing.B, client storage.Client, work bool) {
		c := &counting{Client: client}
		s := New(c, Config{})
		require.NoError(b, s.Open(context.Background()))
		ctx := context.Background()
		batches := 0
		fresh := make([]ID, benchSpans/benchParts)
		for b.Loop() {
			// New spans each time, as the queue hands out.
			batches++
			for n, part := range parts {
				for k, id := range partIDs[n] {
					binary.BigEndian.PutUint64(id[:8], uint64(batches))
					fresh[k] = id
					if s.Has(id) {
						b.Fatal("a new span is already accepted")
					}
				}
				if work {
					encode(b, part)
				}
				require.NoError(b, s.Accept(ctx, fresh))
			}
		}
		b.ReportMetric(float64(c.bytesSet)/float64(batches*benchSpans), "written-B/span")
		b.ReportMetric(float64(c.writes)/float64(batches), "writes/batch")
	}
	for _, work := range []bool{true, false} {
		name := ""
		if !work {
			name = "-records-only" // the records' own cost, without the encoding
		}
		b.Run("file_storage"+name, func(b *testing.B) { run(b, openFileStorageSync(b, b.TempDir(), false).client, work) })
		b.Run("file_storage-fsync"+name, func(b *testing.B) { run(b, openFileStorageSync(b, b.TempDir(), true).client, work) })
	}
}

func encode(b *testing.B, td ptrace.Traces) {
	if _, err := (&ptrace.JSONMarshaler{}).MarshalTraces(td); err != nil {
		b.Fatal(err)
	}
}
