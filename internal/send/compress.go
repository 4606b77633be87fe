// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send // import "github.com/otelcol-helicone/otelcol-helicone/internal/send"

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"go.opentelemetry.io/collector/config/configcompression"
)

// compressor gzips or deflates request bodies for the exporter instead of leaving it
// to confighttp's transport: compressing is over half the CPU of a collector that
// exports LLM spans, and klauspost/compress writes the same formats, at the same
// levels, in about half the time of the standard library's writers.
type compressor struct {
	encoding string // the Content-Encoding header value
	writers  sync.Pool
	buffers  sync.Pool
}

type resettableWriter interface {
	io.WriteCloser
	Reset(io.Writer)
}

// newCompressor returns nil when bodies go uncompressed, and an error for a level the
// format does not have.
func newCompressor(kind configcompression.Type, level configcompression.Level) (*compressor, error) {
	if level == 0 {
		level = configcompression.DefaultCompressionLevel
	}
	var newWriter func() (resettableWriter, error)
	switch kind {
	case configcompression.TypeGzip:
		newWriter = func() (resettableWriter, error) { return gzip.NewWriterLevel(nil, int(level)) }
	case configcompression.TypeDeflate:
		// As confighttp sends it: zlib-wrapped deflate, which Helicone's server reads.
		newWriter = func() (resettableWriter, error) { return zlib.NewWriterLevel(nil, int(level)) }
	default:
		return nil, nil
	}
	// The level is checked once here, so the pool's writers cannot fail.
	if _, err := newWriter(); err != nil {
		return nil, fmt.Errorf("compression_params.level: %d is not a %s level: %w", level, kind, err)
	}
	c := &compressor{encoding: string(kind), buffers: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	c.writers.New = func() any { w, _ := newWriter(); return w }
	return c, nil
}

// compress returns body compressed into a pooled buffer; give it back with release.
func (c *compressor) compress(body []byte) (*bytes.Buffer, error) {
	buf := c.buffers.Get().(*bytes.Buffer)
	buf.Reset()
	w := c.writers.Get().(resettableWriter)
	defer c.writers.Put(w)
	w.Reset(buf)
	if _, err := w.Write(body); err != nil {
		c.release(buf)
		return nil, err
	}
	if err := w.Close(); err != nil {
		c.release(buf)
		return nil, err
	}
	return buf, nil
}

func (c *compressor) release(buf *bytes.Buffer) { c.buffers.Put(buf) }
