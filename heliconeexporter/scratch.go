// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import "runtime"

// scratchPool keeps what pushes reuse (the mapper's buffers, the encoder, a body of
// up to max_request_size), one per push that can run at once. A sync.Pool is emptied
// every other GC, and under load the collector collects several times a second, so
// pushes kept regrowing their bodies: growslice was 11% of the collector's CPU.
type scratchPool struct {
	free  chan *pushScratch
	fresh func() *pushScratch
}

func newScratchPool(size int, fresh func() *pushScratch) *scratchPool {
	return &scratchPool{free: make(chan *pushScratch, size), fresh: fresh}
}

// concurrentPushes is how many pushes may run at once: the queue's consumers, or
// without a queue the callers, bounded here by the CPUs.
func concurrentPushes(cfg *Config) int {
	if cfg.QueueConfig.HasValue() {
		return max(cfg.QueueConfig.Get().NumConsumers, 1)
	}
	return runtime.GOMAXPROCS(0)
}

func (p *scratchPool) get() *pushScratch {
	select {
	case s := <-p.free:
		return s
	default:
		return p.fresh()
	}
}

// put keeps s for the next push, unless as many are kept as can run at once.
func (p *scratchPool) put(s *pushScratch) {
	select {
	case p.free <- s:
	default:
	}
}
