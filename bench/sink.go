package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// sink is the cheapest endpoint both exporters can post to: it inflates each
// body, counts the spans in it by their "spanId" keys (both Helicone's body
// and OTLP/JSON name each span's id so, once per span) and answers 200. The
// first body of each kind is checked in full, so that the benchmark measures
// requests the real endpoint would take.
type sink struct {
	srv      *http.Server
	url      string
	spans    atomic.Int64
	requests atomic.Int64
	bytes    atomic.Int64 // on the wire
	gzipped  bool         // whether bodies must come gzip-compressed

	mu       sync.Mutex
	checked  map[string]bool
	problems []string
	readers  sync.Pool
}

func startSink(gzipped bool) (*sink, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{url: "http://" + l.Addr().String(), gzipped: gzipped, checked: map[string]bool{}}
	s.srv = &http.Server{Handler: s}
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

func (s *sink) close() { _ = s.srv.Close() }

var spanIDKey = []byte(`"spanId"`)

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var kind string
	switch r.URL.Path {
	case helicone.TracePath:
		kind = "helicone"
	case "/v1/traces":
		kind = "otlp_json"
	default:
		http.NotFound(w, r)
		return
	}
	wire, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body, err := s.inflate(r.Header.Get("Content-Encoding"), wire)
	if err != nil {
		s.problem(fmt.Sprintf("%s: %v", kind, err))
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.check(kind, r, body)
	s.requests.Add(1)
	s.bytes.Add(int64(len(wire)))
	s.spans.Add(int64(bytes.Count(body, spanIDKey)))
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

func (s *sink) inflate(encoding string, wire []byte) ([]byte, error) {
	switch encoding {
	case "":
		return wire, nil
	case "gzip":
		zr, _ := s.readers.Get().(*gzip.Reader)
		if zr == nil {
			zr = new(gzip.Reader)
		}
		defer s.readers.Put(zr)
		if err := zr.Reset(bytes.NewReader(wire)); err != nil {
			return nil, err
		}
		return io.ReadAll(zr)
	}
	return nil, fmt.Errorf("unexpected Content-Encoding %q", encoding)
}

// check validates the first body of each kind: Helicone's against its
// schema, OTLP/JSON as JSON.
func (s *sink) check(kind string, r *http.Request, body []byte) {
	s.mu.Lock()
	done := s.checked[kind]
	s.checked[kind] = true
	s.mu.Unlock()
	if done {
		return
	}
	if encoding := r.Header.Get("Content-Encoding"); (encoding == "gzip") != s.gzipped {
		s.problem(fmt.Sprintf("%s: Content-Encoding %q, expected gzip: %t", kind, encoding, s.gzipped))
	}
	switch kind {
	case "helicone":
		if err := helicone.ValidateBody(body); err != nil {
			s.problem("helicone: " + err.Error())
		}
	case "otlp_json":
		if !json.Valid(body) {
			s.problem("otlp_json: the body is not JSON")
		}
	}
}

func (s *sink) problem(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.problems) < 10 {
		s.problems = append(s.problems, p)
	}
}

// err reports the problems seen, if any.
func (s *sink) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.problems) == 0 {
		return nil
	}
	return errors.New("the sink saw bad requests: " + fmt.Sprint(s.problems))
}
