// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package send // import "github.com/otelcol-helicone/otelcol-helicone/internal/send"

import (
	"errors"
	"net"
	"net/http"
)

// ErrMayHaveLogged marks a failure after which Helicone may have logged all of
// the request's spans or a prefix of them: it logs span by span and answers only
// at the end, and its log carries fresh ids, so sending the spans again (as a
// retry must, to lose nothing) may log some of them twice. It is:
//   - a 500, Helicone's answer when its store or its parser fails mid-request;
//   - a 502, 504 or 520 to 524 from a gateway or CDN that may have passed the
//     request on before losing the answer;
//   - no answer at all (a timeout or a dropped connection) once the connection
//     was made.
//
// It is not a 503, 429 or 408 (refused before Helicone read the request) nor a
// connection that was never made.
var ErrMayHaveLogged = errors.New("Helicone may have logged part of the request")

// mayHaveLogged reports whether an answer with code leaves what Helicone logged
// unknown.
func mayHaveLogged(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true
	}
	return code >= 520 && code <= 524
}

// neverConnected reports whether a transport error happened before the request
// could reach the server.
func neverConnected(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}
