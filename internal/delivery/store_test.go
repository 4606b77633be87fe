package delivery

import (
	"context"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/storagetest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func openStore(t *testing.T, client storage.Client, cfg Config) *Store {
	t.Helper()
	s := New(client, cfg)
	require.NoError(t, s.Open(context.Background()))
	return s
}

// A batch split over requests, some accepted, then the process stops: the
// next process, on the same file_storage, skips exactly the accepted spans
// of the batch the queue gives back.
func TestSplitBatchProgressSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	td := batch(1, 20)
	queued, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	require.NoError(t, err)

	fs := openFileStorage(t, dir)
	s := openStore(t, fs.client, Config{})
	p, err := s.Begin(ctx, td)
	require.NoError(t, err)
	require.Equal(t, 20, p.Remaining())
	require.NoError(t, s.Accept(ctx, p, span(0, 8)))
	require.NoError(t, s.Accept(ctx, p, span(8, 13)))
	fs.stop(t) // the request for 13..20 failed; the process dies

	fs = openFileStorage(t, dir)
	s = openStore(t, fs.client, Config{})
	require.Equal(t, 1, s.Records())
	again, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(queued)
	require.NoError(t, err)
	p, err = s.Begin(ctx, again)
	require.NoError(t, err)
	require.Equal(t, span(0, 13), accepted(p, 20))
	require.Equal(t, 7, p.Remaining())

	other, err := s.Begin(ctx, batch(2, 20))
	require.NoError(t, err)
	require.Empty(t, accepted(other, 20), "another batch has no progress")
}

// The last part of a split batch leaves a compact complete record, so a
// crash before the queue's acknowledgement does not send the batch again.
func TestCompleteBatchIsSkippedWholeAfterRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	td := batch(1, 20)
	fs := openFileStorage(t, dir)
	s := openStore(t, fs.client, Config{})
	p, err := s.Begin(ctx, td)
	require.NoError(t, err)
	require.NoError(t, s.Accept(ctx, p, span(0, 10)))
	require.NoError(t, s.Accept(ctx, p, span(10, 20)))
	require.Zero(t, p.Remaining())
	fs.stop(t)

	fs = openFileStorage(t, dir)
	p, err = openStore(t, fs.client, Config{}).Begin(ctx, td)
	require.NoError(t, err)
	require.Zero(t, p.Remaining())
	require.Len(t, accepted(p, 20), 20)
	b, err := fs.client.Get(ctx, p.fp.key())
	require.NoError(t, err)
	require.Len(t, b, headerSize, "a complete record holds no bitmap")
}

// One storage write per accepted request, none for a batch that goes in
// one request, and no reads for batches the store has no record of.
func TestWrites(t *testing.T) {
	ctx := context.Background()
	c := &counting{Client: memClient()}
	s := openStore(t, c, Config{})

	p, err := s.Begin(ctx, batch(1, 100))
	require.NoError(t, err)
	require.NoError(t, s.Accept(ctx, p, span(0, 100)))
	require.Zero(t, c.writes, "one request, nothing to record")
	require.Zero(t, c.gets, "unknown after Open's walk: no read")
	require.Zero(t, s.Records())

	p, err = s.Begin(ctx, batch(2, 100))
	require.NoError(t, err)
	for part := range 4 {
		require.NoError(t, s.Accept(ctx, p, span(part*25, part*25+25)))
		require.Equal(t, part+1, c.writes)
		require.Equal(t, part+1, c.sets)
	}
	require.Equal(t, 4*(len(keyPrefix)+32)+3*(headerSize+13)+headerSize, c.bytesSet)
	require.Zero(t, c.gets)
	_, err = s.Begin(ctx, batch(2, 100))
	require.NoError(t, err)
	require.Equal(t, 1, c.gets, "a known batch is read")
}

func TestForget(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	s := openStore(t, client, Config{})
	p, err := s.Begin(ctx, batch(1, 10))
	require.NoError(t, err)
	require.NoError(t, s.Accept(ctx, p, []int{0}))
	require.NoError(t, s.Forget(ctx, p))
	require.Zero(t, s.Records())
	b, err := client.Get(ctx, p.fp.key())
	require.NoError(t, err)
	require.Nil(t, b)
}

// Records past their TTL are deleted when met and on Open; the batch is
// then sent whole, a duplicate rather than a loss.
func TestTTL(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	now := time.Unix(1_700_000_000, 0)
	s := New(client, Config{TTL: time.Hour})
	s.now = func() time.Time { return now }
	require.NoError(t, s.Open(ctx))
	p, err := s.Begin(ctx, batch(1, 10))
	require.NoError(t, err)
	require.NoError(t, s.Accept(ctx, p, span(0, 5)))

	now = now.Add(time.Hour + time.Second)
	p, err = s.Begin(ctx, batch(1, 10))
	require.NoError(t, err)
	require.Empty(t, accepted(p, 10))
	require.Zero(t, s.Records())
	b, err := client.Get(ctx, p.fp.key())
	require.NoError(t, err)
	require.Nil(t, b, "deleted when met")

	require.NoError(t, s.Accept(ctx, p, span(0, 5)))
	now = now.Add(2 * time.Hour)
	reopened := New(client, Config{TTL: time.Hour})
	reopened.now = func() time.Time { return now }
	require.NoError(t, reopened.Open(ctx))
	require.Zero(t, reopened.Records())
	b, err = client.Get(ctx, p.fp.key())
	require.NoError(t, err)
	require.Nil(t, b, "deleted on Open")
}

// Beyond MaxRecords the complete records go first, then the oldest.
func TestCap(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	now := time.Unix(1_700_000_000, 0)
	s := New(client, Config{MaxRecords: 3})
	s.now = func() time.Time { now = now.Add(time.Second); return now }
	require.NoError(t, s.Open(ctx))
	progress := map[int]*Progress{}
	for seed := range 3 {
		p, err := s.Begin(ctx, batch(seed, 10))
		require.NoError(t, err)
		require.NoError(t, s.Accept(ctx, p, []int{0}))
		progress[seed] = p
	}
	require.NoError(t, s.Accept(ctx, progress[1], span(1, 10)), "batch 1 completes")
	for seed := 3; seed < 5; seed++ {
		p, err := s.Begin(ctx, batch(seed, 10))
		require.NoError(t, err)
		require.NoError(t, s.Accept(ctx, p, []int{0}))
	}
	require.Equal(t, 3, s.Records())
	for seed, kept := range map[int]bool{0: false, 1: false, 2: true, 3: true, 4: true} {
		b, err := client.Get(ctx, FingerprintOf(batch(seed, 10)).key())
		require.NoError(t, err)
		require.Equal(t, kept, b != nil, "batch %d", seed)
	}
}

// A record that is not this batch's (a different span count, or garbled)
// skips nothing.
func TestForeignRecordSkipsNothing(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	td := batch(1, 10)
	fp := FingerprintOf(td)
	for _, value := range [][]byte{
		record{created: time.Now(), spans: 11, accepted: make(bitmap, 2)}.marshal(),
		{9, 9, 9},
	} {
		require.NoError(t, client.Set(ctx, fp.key(), value))
		p, err := New(client, Config{}).Begin(ctx, td)
		require.NoError(t, err)
		require.Equal(t, 10, p.Remaining())
	}
}

// Without a client that can walk, records are read as batches come.
func TestWithoutWalker(t *testing.T) {
	ctx := context.Background()
	mem := memClient()
	s := openStore(t, mem, Config{})
	p, err := s.Begin(ctx, batch(1, 10))
	require.NoError(t, err)
	require.NoError(t, s.Accept(ctx, p, span(0, 4)))

	c := &noWalk{mem}
	fresh := openStore(t, c, Config{})
	p, err = fresh.Begin(ctx, batch(1, 10))
	require.NoError(t, err)
	require.Equal(t, span(0, 4), accepted(p, 10))
}

type noWalk struct{ storage.Client }

func memClient() storage.Client {
	return storagetest.NewInMemoryClient(component.KindExporter, component.MustNewID("helicone"), "delivery")
}
