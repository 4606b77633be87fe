//go:build !unix

package main

import "time"

// processCPU is not measured here; BenchmarkCompress then reports no cpu_ns/op.
func processCPU() time.Duration { return 0 }
