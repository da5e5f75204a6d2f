package serve

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket (golang.org/x/time/rate) per key: a token's
// name, or a client's address.
type limiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// maxLimiterKeys bounds the keys kept: past it, those whose bucket is
// full again (nothing to remember) are forgotten.
const maxLimiterKeys = 10000

func newLimiter(perSecond float64, burst int, now func() time.Time) *limiter {
	return &limiter{limit: rate.Limit(perSecond), burst: burst, now: now, m: map[string]*rate.Limiter{}}
}

func (l *limiter) get(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.m[key]
	if b == nil {
		if len(l.m) >= maxLimiterKeys {
			for k, v := range l.m {
				if v.TokensAt(now) >= float64(l.burst) {
					delete(l.m, k)
				}
			}
		}
		b = rate.NewLimiter(l.limit, l.burst)
		l.m[key] = b
	}
	return b
}

// allow takes one request from key's budget; when it is spent it says
// how long to wait.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	r := l.get(key, now).ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return false, wait
	}
	return true, 0
}
