package sim

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"
)

// ScenarioConfig sets the size of the simulated site and the rates of the
// events RunScenario plays. Rates are per minute of appliance time. A zero
// rate or mean disables that kind of event; the zero value of the whole
// struct selects SmallOffice().
type ScenarioConfig struct {
	Teams             int // support teams, one team queue each
	Reps              int // reps logged in at start; logins and logouts keep the count near it
	TeamsPerRep       int // teams each generated rep serves; 0 means 1
	MaxSessionsPerRep int // sessions a rep holds before routing_busy is set; 0 means 3

	InitialWaiting    int // sessions waiting in team queues at start
	InitialInProgress int // sessions held by reps at start

	ArrivalsPerMinute float64       // new customers
	MeanWait          time.Duration // mean time before a waiting session is picked up
	MeanSessionLength time.Duration // mean time from pickup to end

	RepChangesPerMinute    float64 // rep logins plus logouts
	StatusChangesPerMinute float64 // changes of idle, away, busy or auto-assign
	TransfersPerMinute     float64 // sessions handed to another rep or team

	// BurstInterval and BurstArrivals add BurstArrivals customers at once
	// every BurstInterval, on top of the steady arrivals.
	BurstInterval time.Duration
	BurstArrivals int

	// StartMethods are drawn for new sessions; nil means StartMethods.
	StartMethods []string
	// Tick is the host time between scenario steps; 0 means 100 ms.
	Tick time.Duration
}

func (c ScenarioConfig) isZero() bool { return reflect.ValueOf(c).IsZero() }

// SmallOffice is a site with 3 teams and 8 reps.
func SmallOffice() ScenarioConfig {
	return ScenarioConfig{
		Teams:                  3,
		Reps:                   8,
		TeamsPerRep:            2,
		MaxSessionsPerRep:      2,
		InitialWaiting:         3,
		InitialInProgress:      5,
		ArrivalsPerMinute:      2,
		MeanWait:               90 * time.Second,
		MeanSessionLength:      6 * time.Minute,
		RepChangesPerMinute:    0.5,
		StatusChangesPerMinute: 2,
		TransfersPerMinute:     0.3,
	}
}

// MidSize is a site with 20 teams and 200 reps.
func MidSize() ScenarioConfig {
	return ScenarioConfig{
		Teams:                  20,
		Reps:                   200,
		TeamsPerRep:            3,
		MaxSessionsPerRep:      3,
		InitialWaiting:         80,
		InitialInProgress:      300,
		ArrivalsPerMinute:      60,
		MeanWait:               80 * time.Second,
		MeanSessionLength:      5 * time.Minute,
		RepChangesPerMinute:    6,
		StatusChangesPerMinute: 30,
		TransfersPerMinute:     6,
		BurstInterval:          2 * time.Minute,
		BurstArrivals:          40,
	}
}

// LargeSite is the largest site the product targets: 2,000 reps, 150 team
// queues, 1,000 waiting and 3,000 in-progress sessions. The arrival rate
// and means keep those counts roughly steady (arrivals × mean wait ≈
// waiting, arrivals × mean length ≈ in progress), and the bursts add a few
// hundred row changes at once.
func LargeSite() ScenarioConfig {
	return ScenarioConfig{
		Teams:                  150,
		Reps:                   2000,
		TeamsPerRep:            3,
		MaxSessionsPerRep:      3,
		InitialWaiting:         1000,
		InitialInProgress:      3000,
		ArrivalsPerMinute:      500,
		MeanWait:               2 * time.Minute,
		MeanSessionLength:      6 * time.Minute,
		RepChangesPerMinute:    40,
		StatusChangesPerMinute: 300,
		TransfersPerMinute:     60,
		BurstInterval:          30 * time.Second,
		BurstArrivals:          100,
	}
}

// Preset returns the scenario preset named small, mid or large.
func Preset(name string) (ScenarioConfig, bool) {
	switch name {
	case "small":
		return SmallOffice(), true
	case "mid":
		return MidSize(), true
	case "large":
		return LargeSite(), true
	}
	return ScenarioConfig{}, false
}

// Scaled returns a copy of c whose site is factor times busier on an
// unchanged clock. It multiplies ArrivalsPerMinute, StatusChangesPerMinute,
// RepChangesPerMinute and TransfersPerMinute by factor and divides
// MeanWait, MeanSessionLength and BurstInterval by it. Teams, reps,
// initial sessions and burst sizes stay the same. Because arrivals × mean
// wait and arrivals × mean length do not change, the waiting and
// in-progress counts stay near their unscaled levels while sessions turn
// over factor times faster. Scaling the zero value scales SmallOffice().
//
// A positive mean never becomes 0, which would disable its events: it is
// kept at 1 ns or more. Scaled panics unless factor is a finite number
// above 0.
func (c ScenarioConfig) Scaled(factor float64) ScenarioConfig {
	if !(factor > 0) || math.IsInf(factor, 1) {
		panic(fmt.Sprintf("sim: invalid ScenarioConfig.Scaled factor %v: want a finite number above 0", factor))
	}
	if c.isZero() {
		c = SmallOffice()
	}
	c.StartMethods = slices.Clone(c.StartMethods)
	c.ArrivalsPerMinute *= factor
	c.StatusChangesPerMinute *= factor
	c.RepChangesPerMinute *= factor
	c.TransfersPerMinute *= factor
	c.MeanWait = divideDuration(c.MeanWait, factor)
	c.MeanSessionLength = divideDuration(c.MeanSessionLength, factor)
	c.BurstInterval = divideDuration(c.BurstInterval, factor)
	return c
}

// divideDuration returns d / factor, kept within 1 ns and the maximum
// Duration when d is positive.
func divideDuration(d time.Duration, factor float64) time.Duration {
	if d <= 0 {
		return d
	}
	quotient := float64(d) / factor
	if quotient >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return max(time.Duration(quotient), time.Nanosecond)
}

func (c *ScenarioConfig) applyDefaults() {
	if c.TeamsPerRep <= 0 {
		c.TeamsPerRep = 1
	}
	if c.MaxSessionsPerRep <= 0 {
		c.MaxSessionsPerRep = 3
	}
	if c.StartMethods == nil {
		c.StartMethods = StartMethods
	}
	if c.Tick <= 0 {
		c.Tick = 100 * time.Millisecond
	}
}

// Scenario returns the scenario in effect, with defaults applied.
func (s *Simulator) Scenario() ScenarioConfig { return s.scenario }

// RunScenario plays the seeded scenario until ctx is done: arrivals,
// pickups, session ends, rep logins and logouts, status changes and
// transfers. Each step draws events for the appliance time elapsed since
// the previous step, so a ManualClock moves the scenario only when it is
// advanced and an AcceleratedClock speeds it up.
func (s *Simulator) RunScenario(ctx context.Context) {
	ticker := time.NewTicker(s.scenario.Tick)
	defer ticker.Stop()
	s.mu.Lock()
	last := s.now()
	s.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-ticker.C:
		}
		s.mu.Lock()
		now := s.now()
		elapsed := now.Sub(last)
		last = now
		s.stepLocked(now, elapsed)
		s.changedLocked()
		s.mu.Unlock()
	}
}
