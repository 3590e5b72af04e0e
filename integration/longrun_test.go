package integration_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

// TestLongRunWithFaults plays the large site at ten times real speed while
// the simulator injects every fault in turn (dropped sockets, truncate_model,
// restarts with new ids, revoked tokens, stalls and malformed lines), then
// checks that the relay's model equals the simulator's. RTD_LONG_RUN sets the
// wall-clock duration (default 10s).
func TestLongRunWithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("long run skipped with -short")
	}
	duration := 10 * time.Second
	if text := os.Getenv("RTD_LONG_RUN"); text != "" {
		d, err := time.ParseDuration(text)
		if err != nil || d <= 0 {
			t.Fatalf("invalid RTD_LONG_RUN %q: want a duration such as 2m", text)
		}
		duration = d
	}
	s := startSite(t, sim.Config{
		Seed:       13,
		Scenario:   sim.LargeSite(),
		Clock:      sim.NewAcceleratedClock(10),
		BatchDelay: 100 * time.Millisecond,
		Faults:     sim.FaultConfig{Interval: duration / 20, StallDuration: 300 * time.Millisecond},
		Protocol:   sim.ProtocolConfig{SendBuffer: 4096},
	}, nil)
	s.waitReady(t)

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	s.sim.RunScenario(ctx)
	s.sim.StopFaults()
	s.sim.Flush()
	n := s.sim.FaultsInjected()
	t.Logf("%d faults injected in %v", n, duration)
	if n < 5 {
		t.Errorf("only %d faults were injected; the run proves little", n)
	}

	deadline := time.Now().Add(60 * time.Second)
	for {
		want := decodeTables(t, s.sim.ModelJSON())
		got := withoutColumn(decodeTables(t, s.snapshot(t).Tables), sim.UnknownColumn)
		diff := cmp.Diff(want, got)
		if diff == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relay model differs from the simulator's after the run (-simulator +relay):\n%.4000s", diff)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// withoutColumn drops a column from every row, for columns the relay keeps
// verbatim but the simulator's model never holds.
func withoutColumn(tables map[string]map[string]map[string]any, column string) map[string]map[string]map[string]any {
	for _, table := range tables {
		for _, row := range table {
			delete(row, column)
		}
	}
	return tables
}
