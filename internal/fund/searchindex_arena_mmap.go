//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package fund

import "syscall"

// mapBytes returns an empty slice of capacity n outside the Go heap (an
// anonymous private mapping), or on the heap if the system refuses.
func mapBytes(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, 0, n)
	}
	return b[:0]
}

// unmapBytes releases what mapBytes returned (nothing for heap memory).
func unmapBytes(b []byte) {
	if cap(b) > 0 {
		_ = syscall.Munmap(b[:cap(b)]) // EINVAL for heap memory
	}
}
