package helicone

import (
	"net"
	"net/http"
	"time"
)

// Always, as a count in Faults, applies a fault to every request.
const Always = -1

// Faults make the server misbehave as real servers, proxies and networks do.
// They apply to requests on the trace route before authentication, as a
// proxy in front would. The zero value is a well-behaved server. Counts are
// of requests still to come: they go down as faults are applied; Always
// never runs out.
type Faults struct {
	// Delay holds every answer back this long (a slow server), before any
	// other fault. A client that gives up or Close cuts it short.
	Delay time.Duration
	// DropCount requests get their connection closed without an answer: the
	// client sees a reset or EOF.
	DropCount int
	// FailCount requests are answered with Fail instead of being handled, as
	// a failing server or a proxy in front of it would.
	FailCount int
	Fail      Failure
	// LogThenFail logs the spans of each valid request and then answers 500,
	// as the real server may when it fails midway; a retry then duplicates.
	LogThenFail bool
}

// Failure is an injected answer.
type Failure struct {
	Status int
	// RetryAfter, when set, is sent verbatim as Retry-After: seconds or an
	// HTTP date.
	RetryAfter string
	// Body, when set, is sent verbatim; else a JSON error naming the fault.
	Body string
}

// SetFaults replaces the faults; requests already waiting out a delay keep
// the faults they started with.
func (s *Server) SetFaults(f Faults) {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	s.faults = f
}

// Faults are the faults still to apply.
func (s *Server) Faults() Faults {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	return s.faults
}

// plan is what the faults do to one request.
type plan struct {
	delay       time.Duration
	drop        bool
	fail        *Failure
	logThenFail bool
}

// nextPlan takes one request's share of the faults.
func (s *Server) nextPlan() plan {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	f := &s.faults
	p := plan{delay: f.Delay, logThenFail: f.LogThenFail}
	switch {
	case take(&f.DropCount):
		p.drop = true
	case take(&f.FailCount):
		fail := f.Fail
		p.fail = &fail
	}
	return p
}

// take uses up one of count, reporting whether there was one.
func take(count *int) bool {
	switch {
	case *count == Always:
		return true
	case *count > 0:
		*count--
		return true
	}
	return false
}

// wait sleeps out d; it reports false when the client left or the server
// is stopping first.
func wait(r *http.Request, d time.Duration, stopping <-chan struct{}) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-stopping:
	}
	return false
}

// drop closes the connection without answering. A TCP connection is reset
// rather than closed cleanly, as a crashing server or a proxy would.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func (f Failure) write(w http.ResponseWriter) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Body == "" {
		writeJSON(w, f.Status, errorBody("injected fault: "+http.StatusText(f.Status)))
		return
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
}
