package sim_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

// checkConsistent returns one error text per broken reference in a model.
func checkConsistent(m clientModel) []string {
	var problems []string
	key := func(v any) string {
		f, _ := v.(float64)
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	sessionReps := map[string][]string{}
	for id, link := range m["representative_support_session"] {
		session, rep := key(link["support_session_id"]), key(link["representative_id"])
		if _, ok := m["support_session"][session]; !ok {
			problems = append(problems, fmt.Sprintf("representative_support_session %s: support session %s missing", id, session))
		}
		if _, ok := m["representative"][rep]; !ok {
			problems = append(problems, fmt.Sprintf("representative_support_session %s: representative %s missing", id, rep))
		}
		sessionReps[session] = append(sessionReps[session], rep)
	}
	for _, table := range []string{"customer_client", "support_session_attribute", "support_session_skill"} {
		for id, values := range m[table] {
			if _, ok := m["support_session"][key(values["support_session_id"])]; !ok {
				problems = append(problems, fmt.Sprintf("%s %s: support session missing", table, id))
			}
		}
	}
	for id, rep := range m["representative"] {
		if queue := m["queue"][key(rep["queue_id"])]; queue == nil || queue["type"] != "personal" {
			problems = append(problems, fmt.Sprintf("representative %s: personal queue %s missing", id, key(rep["queue_id"])))
		}
	}
	for id, link := range m["representative_queue"] {
		if _, ok := m["representative"][key(link["representative_id"])]; !ok {
			problems = append(problems, fmt.Sprintf("representative_queue %s: representative missing", id))
		}
		if queue := m["queue"][key(link["queue_id"])]; queue == nil || queue["type"] != "team" {
			problems = append(problems, fmt.Sprintf("representative_queue %s: team queue missing", id))
		}
	}
	for id, session := range m["support_session"] {
		queueID := key(session["queue_id"])
		queue := m["queue"][queueID]
		reps := sessionReps[id]
		switch {
		case queue == nil:
			problems = append(problems, fmt.Sprintf("support_session %s: queue %s missing", id, queueID))
		case len(reps) == 0 && queue["type"] != "team":
			problems = append(problems, fmt.Sprintf("support_session %s: waiting in a %v queue, want team", id, queue["type"]))
		case len(reps) > 0:
			owned := false
			for _, rep := range reps {
				owned = owned || key(m["representative"][rep]["queue_id"]) == queueID
			}
			if !owned {
				problems = append(problems, fmt.Sprintf("support_session %s: queue %s is no participant's personal queue", id, queueID))
			}
		}
	}
	return problems
}

func TestScenarioKeepsModelConsistent(t *testing.T) {
	s, clock := startSim(t, func(cfg *sim.Config) {
		cfg.Scenario = sim.MidSize()
		cfg.Scenario.Tick = 5 * time.Millisecond
		cfg.BatchDelay = 20 * time.Millisecond
	})
	c := mustDialState(t, s)
	model := clientModel(c.handshake(token(t, s)).Insert)
	if problems := checkConsistent(model); len(problems) > 0 {
		t.Fatalf("initial snapshot inconsistent:\n%v", problems)
	}
	initial := decodeModel(t, s.ModelJSON())

	// The client applies every message while the scenario runs.
	var mu sync.Mutex
	messages := 0
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		for {
			msg, err := c.next()
			if err != nil {
				return
			}
			mu.Lock()
			model.apply(t, msg)
			messages++
			mu.Unlock()
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	scenarioDone := make(chan struct{})
	go func() {
		defer close(scenarioDone)
		s.RunScenario(ctx)
	}()
	// Five appliance minutes in one-second steps.
	for range 300 {
		clock.Advance(time.Second)
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	<-scenarioDone
	s.Flush()

	final := decodeModel(t, s.ModelJSON())
	if problems := checkConsistent(final); len(problems) > 0 {
		t.Errorf("model inconsistent after the scenario:\n%v", problems)
	}
	if cmp.Equal(initial["support_session"], final["support_session"]) {
		t.Error("support sessions did not change during five appliance minutes")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		diff := cmp.Diff(final, model)
		count := messages
		mu.Unlock()
		if diff == "" {
			if count == 0 {
				t.Error("client received no model updates")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("client model differs from ModelJSON after %d messages (-model +client):\n%s", count, diff)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = c.ws.CloseNow()
	<-readDone
}

func TestScenarioSeedIsDeterministic(t *testing.T) {
	build := func() []byte {
		s, err := sim.New(sim.Config{
			ClientID: "id", ClientSecret: "secret", Seed: 42,
			Clock: sim.NewManualClock(testStart),
		})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.ModelJSON()
	}
	if diff := cmp.Diff(string(build()), string(build())); diff != "" {
		t.Errorf("two simulators with the same seed differ (-first +second):\n%s", diff)
	}
}

func TestLargeSitePopulation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the large site")
	}
	s, err := sim.New(sim.Config{
		ClientID: "id", ClientSecret: "secret", Seed: 1,
		Scenario: sim.LargeSite(),
		Clock:    sim.NewManualClock(testStart),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	model := decodeModel(t, s.ModelJSON())
	waiting := len(model["support_session"]) - countDistinct(model["representative_support_session"], "support_session_id")
	checks := []struct {
		quantity  string
		got, want int
	}{
		{"representatives", len(model["representative"]), 2000},
		{"team queues", len(s.Teams()), 150},
		{"waiting sessions", waiting, 1000},
		{"sessions in progress", len(model["support_session"]) - waiting, 3000},
	}
	for _, check := range checks {
		if check.got != check.want {
			t.Errorf("%s = %d, want %d", check.quantity, check.got, check.want)
		}
	}
	if problems := checkConsistent(model); len(problems) > 0 {
		t.Errorf("large site inconsistent:\n%v", problems[:min(10, len(problems))])
	}
}

func countDistinct(rows map[string]map[string]any, column string) int {
	seen := map[any]bool{}
	for _, values := range rows {
		seen[values[column]] = true
	}
	return len(seen)
}

func TestScenarioScaledMultipliesRates(t *testing.T) {
	base := sim.MidSize()
	scaled := base.Scaled(4)

	want := base
	want.ArrivalsPerMinute = 240
	want.StatusChangesPerMinute = 120
	want.RepChangesPerMinute = 24
	want.TransfersPerMinute = 24
	want.MeanWait = 20 * time.Second
	want.MeanSessionLength = 75 * time.Second
	want.BurstInterval = 30 * time.Second
	if diff := cmp.Diff(want, scaled); diff != "" {
		t.Errorf("MidSize().Scaled(4) (-want +got):\n%s", diff)
	}
	if base.ArrivalsPerMinute != sim.MidSize().ArrivalsPerMinute {
		t.Errorf("Scaled changed its receiver: ArrivalsPerMinute = %g", base.ArrivalsPerMinute)
	}
}

func TestScenarioScaledZeroValue(t *testing.T) {
	got := sim.ScenarioConfig{}.Scaled(2)
	want := sim.SmallOffice().Scaled(2)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero ScenarioConfig scaled (-SmallOffice scaled +got):\n%s", diff)
	}
}

func TestScenarioScaledKeepsMeansPositive(t *testing.T) {
	scaled := sim.SmallOffice().Scaled(1e300)
	if scaled.MeanWait != time.Nanosecond {
		t.Errorf("MeanWait = %v, want 1ns", scaled.MeanWait)
	}
	if scaled.MeanSessionLength != time.Nanosecond {
		t.Errorf("MeanSessionLength = %v, want 1ns", scaled.MeanSessionLength)
	}
	slow := sim.SmallOffice().Scaled(1e-300)
	if slow.MeanWait != time.Duration(math.MaxInt64) {
		t.Errorf("MeanWait at factor 1e-300 = %v, want the maximum Duration", slow.MeanWait)
	}
	unset := sim.ScenarioConfig{Teams: 1, MeanWait: 0}.Scaled(1e300)
	if unset.MeanWait != 0 {
		t.Errorf("MeanWait of 0 scaled to %v, want 0 so pickups stay disabled", unset.MeanWait)
	}
}

func TestScenarioScaledRejectsInvalidFactor(t *testing.T) {
	for _, factor := range []float64{0, -2, math.NaN(), math.Inf(1)} {
		t.Run(formatFloat(factor), func(t *testing.T) {
			message := recoverPanic(func() { sim.SmallOffice().Scaled(factor) })
			if message == "" {
				t.Fatalf("Scaled(%v) did not panic", factor)
			}
			if !strings.Contains(message, "above 0") {
				t.Errorf("panic message %q does not name the accepted range", message)
			}
		})
	}
}

// TestScenarioScaledBusierOnSameClock plays five appliance minutes of the
// small office twice, unscaled and scaled by 10, on a ManualClock that the
// test moves by the same amount both times.
func TestScenarioScaledBusierOnSameClock(t *testing.T) {
	play := func(scenario sim.ScenarioConfig) []sim.ClosedSession {
		scenario.Tick = time.Millisecond
		s, clock := startSim(t, func(cfg *sim.Config) { cfg.Scenario = scenario })
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.RunScenario(ctx)
		}()
		for range 300 {
			clock.Advance(time.Second)
			time.Sleep(2 * time.Millisecond)
		}
		cancel()
		<-done
		if got := clock.Now().Sub(testStart); got != 5*time.Minute {
			t.Fatalf("appliance clock moved %v, want 5m0s", got)
		}
		return s.ClosedSessions()
	}
	normal := play(sim.SmallOffice())
	busy := play(sim.SmallOffice().Scaled(10))

	if len(busy) < 5*len(normal) || len(busy) < 20 {
		t.Errorf("closed sessions: %d unscaled and %d scaled by 10, want at least 5 times as many and 20 scaled",
			len(normal), len(busy))
	}
	var started []time.Duration
	for _, session := range busy {
		if session.Start.After(testStart) {
			started = append(started, session.Duration())
		}
	}
	if len(started) == 0 {
		t.Fatal("no session that started during the scaled run has ended")
	}
	var total time.Duration
	for _, d := range started {
		total += d
	}
	// Scaled by 10, the small office's mean wait is 9 s and its mean
	// session length 36 s, so sessions measured on the unchanged clock
	// last well under the unscaled 7.5 minutes.
	if mean := total / time.Duration(len(started)); mean > 2*time.Minute {
		t.Errorf("mean duration of %d scaled sessions = %v, want under 2m", len(started), mean)
	}
}
