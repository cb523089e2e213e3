package fund

import (
	"math"
	"strconv"
	"sync"
	"time"
)

// RateLimiter is a token bucket per client address, in memory. It is per
// process: behind a load balancer with several servers each counts on its
// own (a visitor gets up to n times the rate), and a restart forgets. That
// is enough to stop one client from hammering the public pages; a national
// rush is what the static export (`giaoban fund publish`) served by a CDN
// is for.
type RateLimiter struct {
	Rate  float64 // tokens added per second
	Burst float64 // bucket size

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Default limits of the public pages per client address.
const (
	DefaultRate  = 20
	DefaultBurst = 100
	maxBuckets   = 100_000
)

// NewRateLimiter returns a limiter allowing rate requests per second with
// bursts of burst. A rate of 0 or less allows everything.
func NewRateLimiter(rate, burst float64) *RateLimiter {
	return &RateLimiter{Rate: rate, Burst: max(burst, 1), buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes a token for key; when there is none it returns false and how
// long to wait for one.
func (l *RateLimiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.Rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	if len(l.buckets) >= maxBuckets || t.Sub(l.swept) > time.Minute && len(l.buckets) > 1000 {
		l.sweep(t)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.Burst, at: t}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.Burst, b.tokens+t.Sub(b.at).Seconds()*l.Rate)
	b.at = t
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.Rate * float64(time.Second))
	return false, wait
}

// sweep drops buckets that have refilled (their clients are idle); if too
// many remain, it forgets all of them.
func (l *RateLimiter) sweep(t time.Time) {
	full := time.Duration(l.Burst / l.Rate * float64(time.Second))
	for k, b := range l.buckets {
		if t.Sub(b.at) > full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		l.buckets = map[string]*bucket{}
	}
	l.swept = t
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(math.Ceil(max(d.Seconds(), 1))))
}
