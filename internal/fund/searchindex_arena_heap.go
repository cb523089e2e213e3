//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package fund

// mapBytes returns an empty slice of capacity n (on the heap: this system
// has no anonymous mappings the index uses).
func mapBytes(n int) []byte { return make([]byte, 0, n) }

// unmapBytes releases what mapBytes returned: nothing to do on the heap.
func unmapBytes([]byte) {}
