package otelcoltest

import (
	"fmt"
	"net"
	"strconv"
	"sync"
)

// Ports are the addresses a collector listens on, each a free port on
// 127.0.0.1 chosen by the kernel, so that collectors can run side by side.
type Ports struct {
	GRPC    string // OTLP/gRPC receiver
	HTTP    string // OTLP/HTTP receiver
	Health  string // health_check extension
	Metrics string // the collector's own metrics, Prometheus format
}

// NewPorts picks free ports for a collector.
func NewPorts() (Ports, error) {
	var p Ports
	for _, addr := range []*string{&p.GRPC, &p.HTTP, &p.Health, &p.Metrics} {
		a, err := FreeAddr()
		if err != nil {
			return Ports{}, err
		}
		*addr = a
	}
	return p, nil
}

// handedOut are the addresses FreeAddr returned in this process: the kernel
// may offer a port again as soon as it is closed, and tests running in
// parallel must not get the same one.
var (
	handedOutMu sync.Mutex
	handedOut   = map[string]bool{}
)

// FreeAddr is a 127.0.0.1 address nothing listens on right now, never the
// same twice in one process. Another process may still take it before it is
// used; that is rare.
func FreeAddr() (string, error) {
	handedOutMu.Lock()
	defer handedOutMu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", fmt.Errorf("picking a free port: %w", err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		if !handedOut[addr] {
			handedOut[addr] = true
			return addr, nil
		}
	}
	return "", fmt.Errorf("picking a free port: the kernel offered only ports already handed out")
}

func port(addr string) string {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if _, err := strconv.Atoi(p); err != nil {
		return addr
	}
	return p
}
