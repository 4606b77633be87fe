// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// earlyAnswerServer answers 413 from Content-Length alone, without reading the body,
// as an ingress with a small body limit does; smaller bodies are read and accepted.
type earlyAnswerServer struct {
	limit    int64
	accepted atomic.Int64 // bytes of accepted bodies
	refused  atomic.Int32
}

func (s *earlyAnswerServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > s.limit {
		s.refused.Add(1)
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	n, _ := io.Copy(io.Discard, r.Body)
	s.accepted.Add(n)
}

// randomTraces holds n LLM spans with incompressible prompts of size bytes.
func randomTraces(n, size int) ptrace.Traces {
	td := llmTraces(n, 10)
	spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	raw := make([]byte, size*3/4)
	for i := range spans.Len() {
		_, _ = rand.Read(raw)
		spans.At(i).Attributes().PutStr("gen_ai.prompt.0.content", base64.StdEncoding.EncodeToString(raw))
	}
	return td
}

// TestRequestBodyIsNotReusedWhileTheTransportReadsIt splits batches on a server that
// answers 413 before reading the body, in every transport mode. Run with -race: the
// split loop refills the body, and the gzip buffer goes back to its pool, while the
// transport may still be writing the previous request.
func TestRequestBodyIsNotReusedWhileTheTransportReadsIt(t *testing.T) {
	modes := []struct {
		name        string
		compression configcompression.Type
		tls         bool
	}{
		{name: "none", compression: "none"},
		{name: "gzip", compression: configcompression.TypeGzip},
		{name: "http2_tls", compression: configcompression.TypeGzip, tls: true},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			srv := &earlyAnswerServer{limit: 300 * 1024}
			ts := httptest.NewUnstartedServer(srv)
			cfg := defaultConfig()
			if mode.tls {
				ts.EnableHTTP2 = true
				ts.StartTLS()
				caFile := filepath.Join(t.TempDir(), "ca.pem")
				require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600))
				cfg.ClientConfig.TLS.CAFile = caFile
			} else {
				ts.Start()
			}
			t.Cleanup(ts.Close)
			cfg.ClientConfig.Endpoint = ts.URL
			cfg.ClientConfig.Compression = mode.compression
			cfg.APIKey = testKey
			cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
			cfg.RetryConfig.Enabled = false

			exp, err := NewFactory().CreateTraces(context.Background(), exportertest.NewNopSettings(typ), cfg)
			require.NoError(t, err)
			require.NoError(t, exp.Start(context.Background(), componenttest.NewNopHost()))
			t.Cleanup(func() { assert.NoError(t, exp.Shutdown(context.Background())) })

			for range 3 {
				require.NoError(t, exp.ConsumeTraces(context.Background(), randomTraces(16, 100*1024)))
			}
			assert.Positive(t, srv.refused.Load(), "the server answered 413 early")
			assert.Greater(t, srv.accepted.Load(), int64(3*16*100*1024)/2, "every span arrived in a smaller request")
		})
	}
}
