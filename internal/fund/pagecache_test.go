package fund

import (
	"bytes"
	"fmt"
	"testing"
)

// The page cache keeps at most Max pages and MaxBytes, the least recently
// used going first.
func TestPageCacheBounds(t *testing.T) {
	page := func(i, n int) *cachedPage {
		return &cachedPage{key: fmt.Sprintf("vi|1|/quy/X/thu?q=%03d", i), status: 200, ctype: "text/html", body: bytes.Repeat([]byte("x"), n)}
	}
	c := NewPageCache(100)
	c.MaxBytes = 10 * page(0, 1000).size()
	for i := range 10 {
		c.put(page(i, 1000))
	}
	if _, ok := c.get(page(0, 0).key); !ok { // 0 is now the most recent
		t.Fatal("page 0 dropped while the cache had room")
	}
	c.put(page(10, 1000)) // over the bytes: the least recent (1) goes
	if _, ok := c.get(page(1, 0).key); ok {
		t.Error("page 1 kept beyond the byte bound")
	}
	for _, i := range []int{0, 2, 10} {
		if _, ok := c.get(page(i, 0).key); !ok {
			t.Errorf("page %d dropped", i)
		}
	}
	if c.bytes > c.MaxBytes || c.ll.Len() != 10 {
		t.Errorf("%d pages, %d bytes (at most %d)", c.ll.Len(), c.bytes, c.MaxBytes)
	}
	// A page replaced by a larger one: the bytes follow.
	c.put(page(10, 5000))
	if c.bytes > c.MaxBytes {
		t.Errorf("%d bytes after a page grew (at most %d)", c.bytes, c.MaxBytes)
	}
	// A page larger than the whole cache is not kept.
	c.put(page(99, 20*1000))
	if _, ok := c.get(page(99, 0).key); ok || c.bytes > c.MaxBytes {
		t.Errorf("a page over the bound: kept %v, %d bytes", ok, c.bytes)
	}
	// The entry bound holds as before.
	d := NewPageCache(3)
	for i := range 5 {
		d.put(page(i, 10))
	}
	if d.ll.Len() != 3 {
		t.Errorf("%d pages in a cache of 3", d.ll.Len())
	}
}
