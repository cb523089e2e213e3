//go:build !windows

package main

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time of the process so far (on a
// busy machine the wall-clock time of a run says little by itself).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
