//go:build windows

package main

import "time"

// cpuTime is not measured on Windows; benchmarks print wall time only.
func cpuTime() time.Duration { return 0 }
