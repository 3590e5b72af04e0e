// Package logrepeat decides which occurrences of a repeated event are worth
// a log line, so that a flood of the same event costs counting, not log
// volume.
package logrepeat

import "sync"

// Counter counts events by key. An event is worth logging the first time
// and then each time its count reaches a power of ten. It is safe for
// concurrent use; the zero value is ready.
type Counter struct {
	mu     sync.Mutex
	counts map[string]int
}

// Count records one event of the key and returns how many there were so
// far and whether this one is worth logging.
func (c *Counter) Count(key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = make(map[string]int)
	}
	c.counts[key]++
	n := c.counts[key]
	for p := 1; p <= n; p *= 10 {
		if p == n {
			return n, true
		}
	}
	return n, false
}
