package fund

import (
	"bytes"
	"container/list"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

// PageCache keeps rendered public pages of funds for visitors who are not
// logged in, keyed by the URL, the language and the size of the fund's log,
// so a page is never served after the log has grown. In a rush most
// visitors open the same few pages (the fund, the first page of receipts,
// the same names); each is then computed once per change of the log. It is
// per process, bounded in entries and in bytes (least recently used out
// first): a rush of distinct queries fills it with pages nobody asks for
// again, which must not cost more memory than the pages that are.
type PageCache struct {
	Max      int // entries; 0 disables the cache
	MaxBytes int // bytes of the pages and their keys; 0: no bound

	mu    sync.Mutex
	ll    *list.List
	items map[string]*list.Element
	bytes int
}

type cachedPage struct {
	key    string
	status int
	ctype  string
	body   []byte
}

// NewPageCache returns a cache of at most max pages and DefaultPageBytes.
func NewPageCache(max int) *PageCache {
	return &PageCache{Max: max, MaxBytes: DefaultPageBytes, ll: list.New(), items: map[string]*list.Element{}}
}

func (p *cachedPage) size() int { return len(p.key) + len(p.body) + len(p.ctype) + 64 }

func (c *PageCache) get(key string) (*cachedPage, bool) {
	if c == nil || c.Max <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*cachedPage), true
}

func (c *PageCache) put(p *cachedPage) {
	if c == nil || c.Max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[p.key]; ok {
		c.bytes += p.size() - el.Value.(*cachedPage).size()
		el.Value = p
		c.ll.MoveToFront(el)
	} else {
		c.items[p.key] = c.ll.PushFront(p)
		c.bytes += p.size()
	}
	for c.ll.Len() > c.Max || c.MaxBytes > 0 && c.bytes > c.MaxBytes && c.ll.Len() > 0 {
		old := c.ll.Back()
		c.ll.Remove(old)
		op := old.Value.(*cachedPage)
		delete(c.items, op.key)
		c.bytes -= op.size()
	}
}

// recorder captures a rendered page.
type recorder struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.buf.Write(b) }

// cached serves a public page of fund f from the cache, or renders it with
// render and keeps it when it is a plain 200 HTML page for a visitor who
// is not logged in.
func (h *Handler) cached(w http.ResponseWriter, r *http.Request, f *Fund, render func(w http.ResponseWriter) error) error {
	if h.Pages == nil || auth.FromContext(r.Context()) != nil || len(r.Cookies()) > 0 && hasFlash(r) {
		return render(w)
	}
	key := web.Lang(r) + "|" + strconv.FormatInt(f.LogSize, 10) + "|" + r.URL.RequestURI()
	if p, ok := h.Pages.get(key); ok {
		w.Header().Set("Content-Type", p.ctype)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(p.status)
		_, err := w.Write(p.body)
		return err
	}
	rec := &recorder{h: http.Header{}, status: http.StatusOK}
	if err := render(rec); err != nil {
		return err
	}
	for k, v := range rec.h {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	if _, err := w.Write(rec.buf.Bytes()); err != nil {
		return err
	}
	if rec.status == http.StatusOK && len(rec.h.Values("Set-Cookie")) == 0 {
		h.Pages.put(&cachedPage{key: key, status: rec.status, ctype: rec.h.Get("Content-Type"), body: rec.buf.Bytes()})
	}
	return nil
}

// fundCache keeps the public funds as read with their unit and area, so a
// public page does not read them again while the fund's row is unchanged.
// The fund's version (id, log size, last update, public flag) is read by
// code at most every fundVersionTTL (a rush sends thousands of requests a
// second, each would otherwise read it), and at once after a commit of
// this process (AfterCommit); the cached fund serves while the version
// holds, and at most fundCacheTTL (for the unit's and area's names). So a
// receipt recorded by another process (an import from the command line)
// shows on the public pages within fundVersionTTL.
type fundCache struct {
	mu sync.Mutex
	m  map[string]cachedFund
}

type cachedFund struct {
	f       *Fund
	at      time.Time // when the fund was read
	checked time.Time // when its version was read
}

const (
	fundCacheTTL   = 30 * time.Second
	fundVersionTTL = 100 * time.Millisecond
	fundCacheMax   = 1000
)

// forget drops every cached version (after a commit).
func (c *fundCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// publicFundCached is Store.PublicFund through the cache.
func (h *Handler) publicFundCached(ctx context.Context, code string) (*Fund, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !ValidFundCode(code) {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	c := &h.funds
	c.mu.Lock()
	cf, ok := c.m[code]
	c.mu.Unlock()
	now := time.Now()
	if ok && now.Sub(cf.checked) < fundVersionTTL && now.Sub(cf.at) < fundCacheTTL {
		f := *cf.f
		return &f, nil
	}
	v, err := h.Store.fundVersion(ctx, code)
	if err != nil {
		return nil, err
	}
	if !v.public {
		return nil, apperr.New(apperr.NotFound, "err.not_found")
	}
	if !ok || cf.f.ID != v.id || cf.f.LogSize != v.size || !cf.f.UpdatedAt.Equal(v.updated) || now.Sub(cf.at) >= fundCacheTTL {
		f, err := h.Store.PublicFund(ctx, code)
		if err != nil {
			return nil, err
		}
		cf = cachedFund{f: f, at: now}
	}
	cf.checked = now
	c.mu.Lock()
	if c.m == nil || len(c.m) >= fundCacheMax {
		c.m = map[string]cachedFund{}
	}
	c.m[code] = cf
	c.mu.Unlock()
	f := *cf.f
	return &f, nil
}

func hasFlash(r *http.Request) bool {
	_, err := r.Cookie("giaoban_flash")
	return err == nil
}
