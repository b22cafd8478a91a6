package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per client key. Buckets idle for a while are
// forgotten so the map stays small.
type limiter struct {
	mu      sync.Mutex
	rps     rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const (
	bucketIdle = 5 * time.Minute
	// maxBuckets bounds the map: past it, buckets idle for more than
	// bucketBusy are dropped at once (a dropped bucket starts full again,
	// which only errs on the side of letting a client through).
	maxBuckets = 100_000
	bucketBusy = 10 * time.Second
)

func newLimiter(rps float64, burst int) *limiter {
	return &limiter{rps: rate.Limit(rps), burst: burst, buckets: make(map[string]*bucket)}
}

// allow takes a token for key; when none is left it reports how long until
// one is.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	ok, retry, _ := l.take(key, now)
	return ok, retry
}

// take is allow that also returns a function giving the token back (a
// no-op when none was taken), for a request another limit then refuses.
func (l *limiter) take(key string, now time.Time) (bool, time.Duration, func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > bucketIdle {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > bucketIdle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[key]
	if b == nil && len(l.buckets) >= maxBuckets {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > bucketBusy {
				delete(l.buckets, k)
			}
		}
	}
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.rps, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second, func() {}
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d, func() {}
	}
	return true, 0, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		r.CancelAt(now)
	}
}
