package delivery

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// batch is n spans over two resources and three scopes, with ids and start
// times derived from seed.
func batch(seed, n int) ptrace.Traces {
	td := ptrace.NewTraces()
	var scopes []ptrace.SpanSlice
	for range 2 {
		rs := td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", "app")
		scopes = append(scopes, rs.ScopeSpans().AppendEmpty().Spans())
	}
	scopes = append(scopes, td.ResourceSpans().At(1).ScopeSpans().AppendEmpty().Spans())
	for i := range n {
		s := scopes[i%len(scopes)].AppendEmpty()
		var tid pcommon.TraceID
		var sid pcommon.SpanID
		binary.BigEndian.PutUint64(tid[:8], uint64(seed))
		binary.BigEndian.PutUint64(tid[8:], uint64(i/4))
		binary.BigEndian.PutUint64(sid[:], uint64(seed<<32|i))
		s.SetTraceID(tid)
		s.SetSpanID(sid)
		s.SetName("openai.chat")
		s.SetStartTimestamp(pcommon.Timestamp(1_700_000_000_000_000_000 + i*1000))
		s.SetEndTimestamp(pcommon.Timestamp(1_700_000_001_000_000_000 + i*1000))
		s.Attributes().PutStr("gen_ai.prompt.0.content", "hello")
	}
	return td
}

// fileStorage is the contrib file_storage extension in dir, started, and
// its client for the exporter; stop closes both, as a process exit would.
type fileStorage struct {
	ext    storage.Extension
	client storage.Client
}

func openFileStorage(t testing.TB, dir string) *fileStorage {
	return openFileStorageSync(t, dir, false)
}

// openFileStorageSync is openFileStorage with the extension's fsync option.
func openFileStorageSync(t testing.TB, dir string, fsync bool) *fileStorage {
	t.Helper()
	ctx := context.Background()
	f := filestorage.NewFactory()
	cfg := f.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory, cfg.Compaction.Directory, cfg.FSync = dir, dir, fsync
	ext, err := f.Create(ctx, extensiontest.NewNopSettings(f.Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(ctx, componenttest.NewNopHost()))
	client, err := ext.(storage.Extension).GetClient(ctx, component.KindExporter, component.MustNewID("helicone"), "delivery")
	require.NoError(t, err)
	fs := &fileStorage{ext: ext.(storage.Extension), client: client}
	t.Cleanup(func() { fs.stop(t) })
	return fs
}

func (fs *fileStorage) stop(t testing.TB) {
	if fs.client == nil {
		return
	}
	require.NoError(t, fs.client.Close(context.Background()))
	require.NoError(t, fs.ext.Shutdown(context.Background()))
	fs.client = nil
}

// counting wraps a client and counts what is written to it.
type counting struct {
	storage.Client
	mu                          sync.Mutex
	gets, writes, sets, deletes int
	bytesSet                    int
}

func (c *counting) Get(ctx context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	return c.Client.Get(ctx, key)
}

func (c *counting) Delete(ctx context.Context, key string) error {
	return c.Batch(ctx, storage.DeleteOperation(key))
}

func (c *counting) Batch(ctx context.Context, ops ...*storage.Operation) error {
	c.mu.Lock()
	c.writes++
	for _, op := range ops {
		switch op.Type {
		case storage.Set:
			c.sets++
			c.bytesSet += len(op.Key) + len(op.Value)
		case storage.Delete:
			c.deletes++
		}
	}
	c.mu.Unlock()
	return c.Client.Batch(ctx, ops...)
}

func (c *counting) Walk(ctx context.Context, fn storage.WalkFunc) error {
	return c.Client.(storage.Walker).Walk(ctx, fn)
}

// ids are the IDs of td's spans, in order.
func ids(td ptrace.Traces) []ID {
	var out []ID
	for _, rs := range td.ResourceSpans().All() {
		for _, ss := range rs.ScopeSpans().All() {
			for _, s := range ss.Spans().All() {
				out = append(out, IDOf(s))
			}
		}
	}
	return out
}

// has lists the positions of ids that s has.
func has(s *Store, ids []ID) []int {
	var out []int
	for i, id := range ids {
		if s.Has(id) {
			out = append(out, i)
		}
	}
	return out
}

func span(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}
