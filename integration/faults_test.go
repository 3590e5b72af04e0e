package integration_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/relay/appliance"
	"github.com/rtdash/rtdash/shared/state"
)

// countingSink records what a state API connection delivers.
type countingSink struct {
	mu        sync.Mutex
	snapshots int
	updates   int
}

func (c *countingSink) Snapshot(*state.Message, []byte, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snapshots++
}

func (c *countingSink) Update(*state.Message, []byte, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates++
}

func (c *countingSink) Malformed([]byte, state.AnomalyKind, error) {}

func (c *countingSink) snapshotCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snapshots
}

// TestIdleTimeoutReconnects stalls the appliance's socket without closing
// it and checks that the connection supervisor gives up on it after the
// idle timeout and takes a fresh snapshot.
func TestIdleTimeoutReconnects(t *testing.T) {
	simulator, err := sim.New(sim.Config{ClientID: "idle", ClientSecret: "idle-secret", Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := simulator.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { simulator.Close() })
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, simulator.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	pool := mustPool(t, simulator.CAPEM())
	client := appliance.NewHTTPClient(appliance.TLSOptions{RootCAs: pool})
	tokens := appliance.NewTokens(simulator.Addr(), "idle", "idle-secret", client, nil)
	sink := &countingSink{}
	var mu sync.Mutex
	var phases []appliance.Phase
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		appliance.Run(ctx, appliance.Options{
			Host: simulator.Addr(), HTTPClient: client, Tokens: tokens, Sink: sink,
			IdleTimeout: 300 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
			OnStatus: func(s appliance.Status) {
				mu.Lock()
				defer mu.Unlock()
				phases = append(phases, s.Phase)
			},
		})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	waitFor(t, 10*time.Second, "first snapshot", func() bool { return sink.snapshotCount() == 1 })

	simulator.Stall(3 * time.Second)
	waitFor(t, 10*time.Second, "a fresh snapshot after the idle timeout", func() bool { return sink.snapshotCount() >= 2 })
	mu.Lock()
	defer mu.Unlock()
	sawUnavailable := false
	for _, p := range phases {
		sawUnavailable = sawUnavailable || p == appliance.Unavailable
	}
	if !sawUnavailable {
		t.Errorf("phases %v never reported the appliance unavailable", phases)
	}
}

// TestMalformedInputCounted sends every kind of malformed line and checks
// that the relay counts each, keeps following updates, and ends with the
// simulator's model.
func TestMalformedInputCounted(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step before the faults")
	for _, kind := range []sim.FaultKind{
		sim.FaultBadJSON, sim.FaultUnknownTable, sim.FaultUnknownDelete, sim.FaultUnknownType,
		sim.FaultUnknownUpdate, sim.FaultUnknownColumn,
	} {
		if err := s.sim.InjectFault(kind); err != nil {
			t.Fatalf("injecting %s: %v", kind, err)
		}
	}
	addCustomer(t, s, "After Faults")
	// The unknown column is kept as received, so that snapshots repeat the
	// appliance's data; the comparison leaves it out, as the simulator's
	// own model never holds it.
	v.waitMatchesIgnoring(t, s, "viewer in step after the faults", sim.UnknownColumn)
	tables := string(s.snapshot(t).Tables)
	if strings.Contains(tables, sim.UnknownTable) {
		t.Errorf("relay model holds data of an unknown table:\n%.300s", tables)
	}
	if !strings.Contains(tables, sim.UnknownColumn) {
		t.Errorf("relay model dropped the unknown column it should keep verbatim")
	}

	_, metrics := httpGet(t, s.relayURL+"/metrics")
	for _, kind := range []string{
		"invalid_message", "unknown_table", "delete_unknown_id", "unknown_type", "update_unknown_id", "unknown_column",
	} {
		if !strings.Contains(metrics, `kind="`+kind+`"`) {
			t.Errorf("metrics do not count %s:\n%s", kind, grepLines(metrics, "rtd_malformed"))
		}
	}
	if resp, _ := httpGet(t, s.relayURL+"/readyz"); resp.StatusCode != http.StatusOK {
		t.Errorf("relay not ready after malformed input: %d", resp.StatusCode)
	}
}

func grepLines(text, substr string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
