package helicone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TracePath is where Helicone ingests traces, below the base URL.
const TracePath = "/v1/trace/log"

// Options configure a Server. The zero value is Helicone's own server,
// accepting any API key.
type Options struct {
	// APIKey is the one key accepted; empty accepts any non-empty key.
	APIKey string
	// PathPrefix is put before TracePath, e.g. "/jawn" as behind the Helm
	// chart's ingress.
	PathPrefix string
	// MaxBodyBytes limits the inflated body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// TooLargeStatus answers a body over the limit; 0 means 500, as the
	// newest server does. Set 413 to act as an ingress in front of it.
	TooLargeStatus int
	// Faults are the faults to start with; see SetFaults.
	Faults Faults
	// OnLog, if set, is called with each logged request, after recording.
	OnLog func(Request)
	// OnReject, if set, is called for each request on the trace route that
	// was not logged, with the status answered (0 for a dropped connection)
	// and why.
	OnReject func(status int, reason string)
}

// Server is a fake Helicone endpoint: an http.Handler for POST
// <PathPrefix>/v1/trace/log that authenticates, decodes, validates and logs
// as the real server does, records what it logged for tests, and misbehaves
// on demand. It is safe for concurrent use.
type Server struct {
	opts  Options
	route string
	rec   *recorder

	faultsMu sync.Mutex
	faults   Faults

	lnMu sync.Mutex
	ln   *listening
}

// listening is one Start..Close lifetime.
type listening struct {
	http     *http.Server
	url      string
	stopping chan struct{} // closed by Close to cut delays short
	served   chan error    // the result of Serve
}

// New returns a server that is not yet listening: use it as an http.Handler
// (e.g. with httptest) or call Start.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.TooLargeStatus == 0 {
		opts.TooLargeStatus = http.StatusInternalServerError
	}
	opts.PathPrefix = strings.TrimRight(opts.PathPrefix, "/")
	if opts.PathPrefix != "" && !strings.HasPrefix(opts.PathPrefix, "/") {
		opts.PathPrefix = "/" + opts.PathPrefix
	}
	return &Server{opts: opts, route: opts.PathPrefix + TracePath, rec: newRecorder(), faults: opts.Faults}
}

// Start listens on addr (e.g. "127.0.0.1:0") and serves until Close. A
// server can be started again after Close, e.g. to come back from "down";
// its record is kept.
func (s *Server) Start(addr string) error {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln != nil {
		return errors.New("helicone: server already started")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln := &listening{
		http:     &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		url:      "http://" + l.Addr().String() + s.opts.PathPrefix,
		stopping: make(chan struct{}),
		served:   make(chan error, 1),
	}
	go func() { ln.served <- ln.http.Serve(l) }()
	s.ln = ln
	return nil
}

// URL is the base URL to give the exporter as its endpoint, path prefix
// included; "" when not started.
func (s *Server) URL() string {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.url
}

// Close stops listening, cuts delayed answers short and waits for the
// handlers to finish. It does nothing when not started.
func (s *Server) Close() error {
	s.lnMu.Lock()
	ln := s.ln
	s.ln = nil
	s.lnMu.Unlock()
	if ln == nil {
		return nil
	}
	close(ln.stopping)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := ln.http.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, ln.http.Close())
	}
	if serveErr := <-ln.served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

func (s *Server) stopping() <-chan struct{} {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.stopping
}

// ServeHTTP answers POST <PathPrefix>/v1/trace/log; anything else is 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != s.route {
		writeJSON(w, http.StatusNotFound, errorBody(fmt.Sprintf("no route %s %s; traces go to POST %s", r.Method, r.URL.Path, s.route)))
		return
	}
	s.rec.attempt()
	p := s.nextPlan()
	if !wait(r, p.delay, s.stopping()) {
		s.reject(0, "gave up waiting out the injected delay")
		panic(http.ErrAbortHandler)
	}
	switch {
	case p.drop:
		s.reject(0, "injected fault: connection dropped")
		drop(w)
		return
	case p.fail != nil:
		s.reject(p.fail.Status, "injected fault")
		p.fail.write(w)
		return
	}
	a := s.handle(r, p.logThenFail)
	if a.status != http.StatusOK {
		s.reject(a.status, a.reason)
	}
	writeJSON(w, a.status, a.body)
}

// answer is the server's reply to one request.
type answer struct {
	status int
	body   any // nil: an empty body
	reason string
}

// serverError is the error handler's 500 for an exception outside the
// parser: a body that cannot be read or parsed.
func serverError(status int, err error) answer {
	return answer{status: status, body: map[string]string{"message": "Internal Server Error", "details": err.Error()}, reason: err.Error()}
}

// handle does what the real server does, in its order: parse the body,
// authenticate, validate, then log span by span.
func (s *Server) handle(r *http.Request, logThenFail bool) answer {
	wire, body, doc, err := s.parse(r)
	if errors.Is(err, errTooLarge) {
		return serverError(s.opts.TooLargeStatus, fmt.Errorf("%w: the limit is %d bytes after inflation", err, s.opts.MaxBodyBytes))
	}
	if err != nil {
		return serverError(http.StatusInternalServerError, err)
	}
	if err := s.authenticate(r.Header.Get("Authorization")); err != nil {
		return answer{status: http.StatusUnauthorized, body: map[string]string{"error": err.Error(), "trace": "isAuthenticated.error"}, reason: err.Error()}
	}
	trace, verr := validateTrace(doc)
	if verr != nil {
		return validationFailed(verr)
	}
	calls, err := consume(trace)
	if err == nil || len(calls) > 0 {
		req := Request{Received: time.Now(), Header: r.Header.Clone(), WireBytes: len(wire), Body: body, Calls: calls}
		s.rec.log(req)
		if s.opts.OnLog != nil {
			s.opts.OnLog(req)
		}
	}
	switch {
	case err != nil:
		// An exception in the parser: the error handler answers 500 with
		// nothing in the body.
		return answer{status: http.StatusInternalServerError, reason: err.Error()}
	case logThenFail:
		return serverError(http.StatusInternalServerError, fmt.Errorf("injected fault: failed after logging %d spans", len(calls)))
	}
	return answer{status: http.StatusOK}
}

// parse is the body parsers: JSON for application/json; the raw bytes,
// which the validator sees as an object of numbered bytes, for any other
// type; nothing ({}) without a Content-Type.
func (s *Server) parse(r *http.Request) (wire, body []byte, doc any, err error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, nil, &object{vals: map[string]any{}}, nil
	}
	wire, body, err = readBody(r, s.opts.MaxBodyBytes)
	if err != nil {
		return wire, body, nil, err
	}
	if !isJSON(ct) {
		return wire, body, rawBytes(body), nil
	}
	doc, err = parseBody(body)
	return wire, body, doc, err
}

// rawBytes is a Buffer as the validator walks it: keys "0", "1", ... with
// the bytes as numbers.
func rawBytes(b []byte) *object {
	o := &object{vals: make(map[string]any, len(b))}
	for i, c := range b {
		o.set(strconv.Itoa(i), float64(c))
	}
	return o
}

// authenticate accepts "Bearer <key>" or a bare key. The errors say what is
// wrong without echoing the key.
func (s *Server) authenticate(header string) error {
	fields := strings.Fields(header)
	if len(fields) > 0 && strings.EqualFold(fields[0], "Bearer") {
		fields = fields[1:]
	}
	key := strings.Join(fields, " ")
	switch {
	case key == "":
		return errors.New("missing API key: send Authorization: Bearer <key>")
	case s.opts.APIKey != "" && key != s.opts.APIKey:
		return errors.New("unknown API key")
	}
	return nil
}

// validationFailed is the 422 the server's validator answers, with one
// detail per problem.
func validationFailed(e *ValidationError) answer {
	details := make(map[string]any, len(e.Problems))
	for _, p := range e.Problems {
		d := map[string]any{"message": p.Message}
		if p.Value != nil {
			d["value"] = json.RawMessage(p.Value)
		}
		details[p.Path] = d
	}
	return answer{
		status: http.StatusUnprocessableEntity,
		body:   map[string]any{"message": "Validation Failed", "details": details},
		reason: e.Error(),
	}
}

func (s *Server) reject(status int, reason string) {
	if s.opts.OnReject != nil {
		s.opts.OnReject(status, reason)
	}
}

func errorBody(msg string) map[string]string { return map[string]string{"error": msg} }

// writeJSON answers status with body as JSON, or with nothing when body is
// nil, as the server's 200 and its parser's 500 are.
func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
