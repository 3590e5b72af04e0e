package sim

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Clock is the appliance clock. The simulator takes every timestamp it
// publishes (created_timestamp, queue_entry_timestamp, token expiry,
// get_api_info <timestamp>, the HTTP Date header) from it.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that moves only when Set or Advance is called, so
// tests of wait times and token expiry are deterministic. It is safe for
// concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a ManualClock that reads start until it is moved.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t, which may be earlier than the current time.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (c *ManualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// AcceleratedClock is a Clock that starts at the host time of its creation
// and then runs speed times faster than the host clock. RunScenario draws
// its events per elapsed appliance second, so a faster clock also makes
// the scenario busier per host second. Every timestamp the simulator
// publishes runs fast too, so the wait times and session durations a relay
// computes grow speed times faster than real time. ScenarioConfig.Scaled
// makes the site busier without that.
type AcceleratedClock struct {
	start time.Time
	speed float64
}

// NewAcceleratedClock returns a clock running speed times faster than the
// host clock. It panics unless speed is a finite number above 0, because
// a clock that stops or runs backwards breaks every duration the
// simulator reports.
func NewAcceleratedClock(speed float64) *AcceleratedClock {
	if !(speed > 0) || math.IsInf(speed, 1) {
		panic(fmt.Sprintf("sim: invalid AcceleratedClock speed %v: want a finite number above 0", speed))
	}
	return &AcceleratedClock{start: time.Now(), speed: speed}
}

// Now returns the accelerated time.
func (c *AcceleratedClock) Now() time.Time {
	elapsed := time.Since(c.start)
	return c.start.Add(time.Duration(float64(elapsed) * c.speed))
}

// skewedClock offsets another clock, to simulate an appliance whose clock
// drifts from the dashboard host.
type skewedClock struct {
	base Clock
	skew time.Duration
}

func (c skewedClock) Now() time.Time { return c.base.Now().Add(c.skew) }
