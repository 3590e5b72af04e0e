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
		Protocol:   sim.ProtocolConfig{SendBuffer: 4096},
	}, nil)
	s.waitReady(t)

	// Faults start once the relay follows the site, every kind in turn.
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	faultsDone := make(chan struct{})
	go func() {
		defer close(faultsDone)
		ticker := time.NewTicker(duration / 20)
		defer ticker.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				kind := sim.AllFaults[i%len(sim.AllFaults)]
				if kind == sim.FaultStall {
					s.sim.Stall(300 * time.Millisecond)
					continue
				}
				if err := s.sim.InjectFault(kind); err != nil {
					t.Errorf("injecting %s: %v", kind, err)
				}
			}
		}
	}()
	s.sim.RunScenario(ctx)
	<-faultsDone
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
