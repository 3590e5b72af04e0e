package sim

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimitConfig sets the per-account request limits of the Command,
// Reporting and Configuration APIs. Third-party summaries give 20 requests
// per second and 15,000 per hour; the vendor does not confirm them.
type RateLimitConfig struct {
	PerSecond int // 0 means 20
	PerHour   int // 0 means 15,000
	// Enforce rejects requests over either limit with HTTP 429 and a
	// Retry-After header. By default the limits are only reported in
	// X-RateLimit-Limit and X-RateLimit-Remaining.
	Enforce bool
}

// rateLimiter counts requests in fixed windows of the appliance clock: the
// current second and the current hour. The simulator has one API account,
// so every request counts against it, including rejected ones.
type rateLimiter struct {
	mu         sync.Mutex
	cfg        RateLimitConfig
	second     int64 // unix second of the current window
	hour       int64 // unix hour of the current window
	perSecond  int
	perHour    int
	rejections int
}

func newRateLimiter(cfg RateLimitConfig) *rateLimiter {
	if cfg.PerSecond <= 0 {
		cfg.PerSecond = 20
	}
	if cfg.PerHour <= 0 {
		cfg.PerHour = 15000
	}
	return &rateLimiter{cfg: cfg}
}

// take counts a request at now. It returns the hourly requests remaining
// and, when the request is over a limit, how long until that window ends.
func (l *rateLimiter) take(now time.Time) (remaining int, retryAfter time.Duration, over bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	second, hour := now.Unix(), now.Unix()/3600
	if second != l.second {
		l.second, l.perSecond = second, 0
	}
	if hour != l.hour {
		l.hour, l.perHour = hour, 0
	}
	switch {
	case l.perHour >= l.cfg.PerHour:
		over, retryAfter = true, time.Unix((hour+1)*3600, 0).Sub(now)
	case l.perSecond >= l.cfg.PerSecond:
		over, retryAfter = true, time.Unix(second+1, 0).Sub(now)
	}
	if over && l.cfg.Enforce {
		l.rejections++
		return max(0, l.cfg.PerHour-l.perHour), retryAfter, true
	}
	l.perSecond++
	l.perHour++
	return max(0, l.cfg.PerHour-l.perHour), 0, false
}

// limited wraps an API handler with the rate-limit headers and, when
// enforced, HTTP 429. X-RateLimit-Limit is the hourly limit and
// X-RateLimit-Remaining the requests left in the current hour.
// NOTE: which of the two limits the appliance reports in these headers is
// not known.
func (s *Simulator) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		remaining, retryAfter, rejected := s.limiter.take(s.now())
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(s.limiter.cfg.PerHour))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		if rejected {
			seconds := max(1, int((retryAfter+time.Second-1)/time.Second))
			w.Header().Set("Retry-After", strconv.Itoa(seconds))
			s.log.Info("API request rejected: rate limit exceeded", "path", r.URL.Path, "retry_after_s", seconds)
			http.Error(w, "rate limit exceeded; retry after "+strconv.Itoa(seconds)+" s", http.StatusTooManyRequests)
			return
		}
		next(w, r)
	}
}

// RateLimitRejections returns how many requests were rejected with HTTP
// 429 so far.
func (s *Simulator) RateLimitRejections() int {
	s.limiter.mu.Lock()
	defer s.limiter.mu.Unlock()
	return s.limiter.rejections
}
