// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send

import (
	"bytes"
	stdgzip "compress/gzip"
	stdzlib "compress/zlib"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configcompression"
)

func TestCompressorWritesWhatStandardReadersRead(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "genai", "openinference-4.2.7.traces.json"))
	require.NoError(t, err)
	readers := map[configcompression.Type]func(io.Reader) (io.Reader, error){
		configcompression.TypeGzip:    func(r io.Reader) (io.Reader, error) { return stdgzip.NewReader(r) },
		configcompression.TypeDeflate: func(r io.Reader) (io.Reader, error) { return stdzlib.NewReader(r) },
	}
	for kind, newReader := range readers {
		sizes := map[configcompression.Level]int{}
		for _, level := range []configcompression.Level{0, 1, 9} {
			c, err := newCompressor(kind, level)
			require.NoError(t, err)
			require.NotNil(t, c)
			assert.Equal(t, string(kind), c.encoding)
			for range 2 { // the second round reuses pooled writers and buffers
				buf, err := c.compress(body)
				require.NoError(t, err)
				r, err := newReader(bytes.NewReader(buf.Bytes()))
				require.NoError(t, err)
				back, err := io.ReadAll(r)
				require.NoError(t, err)
				assert.Equal(t, body, back, "%s level %d", kind, level)
				sizes[level] = buf.Len()
				c.release(buf)
			}
		}
		assert.Less(t, sizes[9], sizes[1], "%s: the level is applied", kind)
	}
	for _, kind := range []configcompression.Type{"none", ""} {
		c, err := newCompressor(kind, 0)
		assert.NoError(t, err)
		assert.Nil(t, c)
	}
}

func TestCompressorRejectsALevelTheFormatLacks(t *testing.T) {
	for _, kind := range []configcompression.Type{configcompression.TypeGzip, configcompression.TypeDeflate} {
		c, err := newCompressor(kind, 42)
		require.ErrorContains(t, err, "compression_params.level: 42", kind)
		assert.Nil(t, c)
	}
}
