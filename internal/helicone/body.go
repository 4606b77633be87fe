package helicone

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// DefaultMaxBodyBytes is the server's own limit, after inflation
// (express.json's "50mb").
const DefaultMaxBodyBytes = 50 << 20

var (
	errTooLarge            = errors.New("request entity too large")
	errUnsupportedEncoding = errors.New("unsupported content encoding")
)

// isJSON reports whether the body parser would read the body at all: only
// application/json is parsed, with or without parameters such as charset.
func isJSON(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && mediaType == "application/json"
}

// readBody returns the body as sent and inflated, at most limit bytes of the
// latter. It fails with errTooLarge past the limit and errUnsupportedEncoding
// for anything but identity, gzip and deflate.
func readBody(r *http.Request, limit int64) (wire, body []byte, err error) {
	// The wire limit only bounds memory; compressed data may slightly
	// outgrow its inflated size, so it gets headroom.
	wire, err = readLimited(r.Body, 2*limit+1024)
	if err != nil {
		return nil, nil, err
	}
	encoding := r.Header.Get("Content-Encoding")
	decoded, err := decoder(encoding, wire)
	if err != nil {
		return wire, nil, err
	}
	body, err = readLimited(decoded, limit)
	if err != nil && !errors.Is(err, errTooLarge) {
		err = fmt.Errorf("inflating %s body: %w", encoding, err)
	}
	return wire, body, err
}

// decoder reads the body decoded. Deflate is zlib-wrapped as Go's confighttp
// sends it; raw deflate is accepted too when the zlib header is not there.
func decoder(encoding string, wire []byte) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return bytes.NewReader(wire), nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			return nil, fmt.Errorf("inflating gzip body: %w", err)
		}
		return zr, nil
	case "deflate":
		if zr, err := zlib.NewReader(bytes.NewReader(wire)); err == nil {
			return zr, nil
		}
		return flate.NewReader(bytes.NewReader(wire)), nil
	default:
		return nil, fmt.Errorf("%w %q", errUnsupportedEncoding, encoding)
	}
}

// readLimited reads all of r, failing with errTooLarge past limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}
