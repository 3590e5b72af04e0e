package reporting

import (
	"errors"
	"sync"
	"time"
)

// ErrRateLimited is returned when the relay declines to call the appliance
// because callers asked for too many uncached reports in a short time.
var ErrRateLimited = errors.New("too many report requests to the appliance; try again in a moment")

// Details pop-ups are opened by anyone who can reach the page, while the
// appliance allows an API account about 20 requests a second and 15,000
// an hour, shared with CSAT polling. The relay therefore spends at most
// detailsRate uncached details calls a second, in bursts of detailsBurst.
const (
	detailsRate  = 2.0
	detailsBurst = 10
)

// tokenBucket is a rate limiter: take succeeds while tokens remain, and
// tokens refill at rate per second up to burst. It is safe for concurrent
// use.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newTokenBucket(rate float64, burst int) *tokenBucket {
	return &tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), now: time.Now}
}

// take removes one token and reports whether there was one.
func (b *tokenBucket) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
