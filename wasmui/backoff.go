package wasmui

import (
	"math/rand/v2"
	"time"
)

// backoff is a reconnect delay policy. The base doubles from Min with every
// consecutive failure up to Max, and the delay is drawn uniformly between
// half the base and the base. The random half spreads the reconnects of
// many browsers after a relay restart.
type backoff struct {
	Min, Max time.Duration
	// Random returns a number in [0, 1); nil uses math/rand/v2.
	Random func() float64
}

// defaultBackoff is the browser's reconnect policy: bases of 1 s, 2 s,
// 4 s and so on, capped at 30 s.
var defaultBackoff = backoff{Min: time.Second, Max: 30 * time.Second}

// Delay returns the wait before the given reconnect attempt, counted from 1
// for the first retry after a failure.
func (b backoff) Delay(attempt int) time.Duration {
	base := b.Min
	for i := 1; i < attempt && base < b.Max; i++ {
		base *= 2
	}
	base = min(base, b.Max)

	random := b.Random
	if random == nil {
		random = rand.Float64
	}
	half := base / 2
	return half + time.Duration(random()*float64(base-half))
}
