package appliance

import (
	"net/http"
	"sort"
	"sync"
	"time"
)

// clockSamples is how many recent offset samples Clock keeps.
const clockSamples = 15

// Clock estimates the appliance's clock offset from the times it reports:
// HTTP Date headers and get_api_info timestamps. Both have a resolution of
// one second, so the estimate is the median of recent samples, each taken
// against the middle of its request. It is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	samples []time.Duration
}

// Observe records one reading: the appliance reported server (truncated to
// whole seconds) for a request sent at sent and answered at received.
func (c *Clock) Observe(server, sent, received time.Time) {
	if server.IsZero() || received.Before(sent) {
		return
	}
	mid := sent.Add(received.Sub(sent) / 2)
	// A truncated whole second is on average half a second early.
	offset := server.Add(500 * time.Millisecond).Sub(mid)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.samples) == clockSamples {
		copy(c.samples, c.samples[1:])
		c.samples = c.samples[:clockSamples-1]
	}
	c.samples = append(c.samples, offset)
}

// ObserveResponse records the Date header of a response, if it has one.
func (c *Clock) ObserveResponse(resp *http.Response, sent, received time.Time) {
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	c.Observe(date, sent, received)
}

// Offset returns the appliance's clock minus the relay's clock, rounded to
// the millisecond, and false before the first sample.
func (c *Clock) Offset() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.samples) == 0 {
		return 0, false
	}
	sorted := append([]time.Duration(nil), c.samples...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return sorted[len(sorted)/2].Round(time.Millisecond), true
}
