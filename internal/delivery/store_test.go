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
// next process, on the same file_storage, skips exactly the accepted spans,
// although the queue hands them out regrouped (here: in another order, in
// two batches of its own).
func TestAcceptedSpansSurviveRestartAndRegrouping(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	td := batch(1, 20)
	queued, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	require.NoError(t, err)
	all := ids(td)

	fs := openFileStorage(t, dir)
	s := openStore(t, fs.client, Config{})
	require.Empty(t, has(s, all))
	require.NoError(t, s.Accept(ctx, all[0:8]))
	require.NoError(t, s.Accept(ctx, all[8:13]))
	fs.stop(t) // the request for 13..20 failed; the process dies

	fs = openFileStorage(t, dir)
	s = openStore(t, fs.client, Config{})
	require.Equal(t, 13, s.Spans())
	again, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(queued)
	require.NoError(t, err)
	regrouped := ids(again)
	for i, j := 0, len(regrouped)-1; i < j; i, j = i+1, j-1 {
		regrouped[i], regrouped[j] = regrouped[j], regrouped[i]
	}
	require.Equal(t, span(7, 20), has(s, regrouped))
	require.Empty(t, has(s, ids(batch(2, 20))), "other spans are not accepted")
}

// Each accepted request is one write of its IDs: 1 + 16 bytes per span
// plus the key.
func TestOneSmallWritePerAcceptedRequest(t *testing.T) {
	ctx := context.Background()
	c := &counting{Client: memClient()}
	s := openStore(t, c, Config{})
	all := ids(batch(1, 30))
	for lo := 0; lo < 30; lo += 10 {
		require.NoError(t, s.Accept(ctx, all[lo:lo+10]))
	}
	require.Equal(t, 3, c.writes)
	require.Equal(t, 3, c.sets)
	require.Equal(t, 3*(len(recordKey(time.Now()))+1+10*16), c.bytesSet)
	require.NoError(t, s.Accept(ctx, nil))
	require.Equal(t, 3, c.writes, "nothing accepted, nothing written")
}

// Records past their TTL are dropped with the next write and on Open: their
// spans would be sent again, a duplicate rather than a loss.
func TestTTL(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	s := New(client, Config{TTL: time.Hour})
	s.now = clock
	require.NoError(t, s.Open(ctx))
	old, young := ids(batch(1, 5)), ids(batch(2, 5))
	require.NoError(t, s.Accept(ctx, old))
	oldKey := s.records[0].key

	now = now.Add(time.Hour + time.Second)
	require.NoError(t, s.Accept(ctx, young))
	require.Empty(t, has(s, old), "expired with the next write")
	require.Equal(t, span(0, 5), has(s, young))
	b, err := client.Get(ctx, oldKey)
	require.NoError(t, err)
	require.Nil(t, b, "deleted from storage")

	now = now.Add(2 * time.Hour)
	reopened := New(client, Config{TTL: time.Hour})
	reopened.now = clock
	require.NoError(t, reopened.Open(ctx))
	require.Zero(t, reopened.Spans(), "expired on Open")
	require.Empty(t, keys(t, client), "deleted on Open")
}

// Beyond MaxSpans the oldest records go, in storage and in memory; a span
// accepted again in a newer record stays.
func TestCap(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	s := openStore(t, client, Config{MaxSpans: 10})
	b := [][]ID{ids(batch(0, 4)), ids(batch(1, 4)), ids(batch(2, 4))}
	require.NoError(t, s.Accept(ctx, b[0]))
	require.NoError(t, s.Accept(ctx, b[1]))
	require.NoError(t, s.Accept(ctx, b[0][:1])) // accepted again (a duplicate)
	require.NoError(t, s.Accept(ctx, b[2]))
	require.Empty(t, has(s, b[0][1:]), "the oldest record went")
	require.Equal(t, span(0, 4), has(s, b[1]))
	require.True(t, s.Has(b[0][0]), "kept by its newer record")
	require.Len(t, keys(t, client), 3)

	reopened := openStore(t, client, Config{MaxSpans: 5})
	require.Equal(t, span(0, 4), has(reopened, b[2]), "on Open too, the newest are kept")
	require.Empty(t, has(reopened, b[1]))
	require.Equal(t, 5, reopened.Spans())
}

// A value under a record key that is not a record is deleted on Open and
// skips nothing.
func TestForeignValueSkipsNothing(t *testing.T) {
	ctx := context.Background()
	client := memClient()
	key := recordKey(time.Now())
	require.NoError(t, client.Set(ctx, key, []byte{9, 9, 9}))
	require.NoError(t, client.Set(ctx, "other", []byte{1}))
	s := openStore(t, client, Config{})
	require.Zero(t, s.Spans())
	require.Equal(t, []string{"other"}, keys(t, client))
}

// Without a client that can walk its keys, Open says so.
func TestWithoutWalker(t *testing.T) {
	err := New(noWalk{memClient()}, Config{}).Open(context.Background())
	require.ErrorContains(t, err, "storage.Walker")
}

// IDs survive the queue's marshal and unmarshal and tell apart spans that
// differ in any of trace id, span id and start time.
func TestIDs(t *testing.T) {
	td := batch(1, 8)
	b, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	require.NoError(t, err)
	again, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(b)
	require.NoError(t, err)
	require.Equal(t, ids(td), ids(again))

	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	seen := map[ID]bool{IDOf(span): true}
	tid, sid := span.TraceID(), span.SpanID()
	for _, change := range []func(){
		func() { tid[15]++; span.SetTraceID(tid) },
		func() { tid[0]++; span.SetTraceID(tid) },
		func() { sid[3]++; span.SetSpanID(sid) },
		func() { span.SetStartTimestamp(span.StartTimestamp() + 1) },
	} {
		change()
		id := IDOf(span)
		require.False(t, seen[id])
		seen[id] = true
	}
}

type noWalk struct{ storage.Client }

func memClient() storage.Client {
	return storagetest.NewInMemoryClient(component.KindExporter, component.MustNewID("helicone"), "delivery")
}

func keys(t *testing.T, c storage.Client) []string {
	t.Helper()
	var out []string
	require.NoError(t, c.(storage.Walker).Walk(context.Background(), func(key string, _ []byte) ([]*storage.Operation, error) {
		out = append(out, key)
		return nil, nil
	}))
	return out
}

// A span one send holds is skipped by the others until released; once
// accepted, by all.
func TestClaim(t *testing.T) {
	s := openStore(t, memClient(), Config{})
	a, b := ids(batch(1, 2))[0], ids(batch(1, 2))[1]
	require.True(t, s.Claim(a))
	require.False(t, s.Claim(a), "held by the first send")
	s.Release([]ID{a})
	require.True(t, s.Claim(a), "the first send failed: another may send it")
	require.NoError(t, s.Accept(context.Background(), []ID{a}))
	s.Release([]ID{a})
	require.False(t, s.Claim(a), "accepted")
	require.True(t, s.Claim(b))
}
