package integration_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

// TestDashboardFollowsCustomer drives one customer through the simulator and
// checks each step in the dashboard as headless Chromium renders it.
func TestDashboardFollowsCustomer(t *testing.T) {
	requireApp(t)
	s := startSite(t, sim.Config{Seed: 7, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond}, nil)
	s.waitReady(t)
	ctx := newBrowser(t)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.relayURL+"/"),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading the dashboard: %v", err)
	}
	poll(t, ctx, "connection state live", `document.querySelector("#connection-state")?.dataset.state === "live"`)

	teams := s.sim.Teams()
	if len(teams) == 0 {
		t.Fatal("simulator has no teams")
	}
	sessionID, _ := s.sim.AddCustomer(sim.Customer{
		Name:         "Ada Lovelace",
		Company:      "Analytical Engines",
		Description:  "Printer on fire",
		TeamCodeName: teams[0].CodeName,
		StartMethod:  "issue_submission",
		ClientType:   "desktop",
	})
	s.sim.Flush()
	waiting := fmt.Sprintf(`#panel-waiting tr[data-session-id="%d"]`, sessionID)
	inProgress := fmt.Sprintf(`#panel-inprogress tr[data-session-id="%d"]`, sessionID)
	poll(t, ctx, "customer in the waiting panel", fmt.Sprintf(
		`(document.querySelector(%q)?.textContent ?? "").includes("Ada Lovelace")`, waiting))

	reps := s.sim.Reps()
	if len(reps) == 0 {
		t.Fatal("simulator has no logged-in representatives")
	}
	if err := s.sim.Pickup(sessionID, reps[0].ID); err != nil {
		t.Fatalf("pickup: %v", err)
	}
	s.sim.Flush()
	poll(t, ctx, "session moved to the sessions in progress", fmt.Sprintf(
		`document.querySelector(%q) === null && document.querySelector(%q) !== null`, waiting, inProgress))

	if err := s.sim.EndSession(sessionID); err != nil {
		t.Fatalf("ending session: %v", err)
	}
	s.sim.Flush()
	poll(t, ctx, "session gone from every panel", fmt.Sprintf(
		`document.querySelector(%q) === null && document.querySelector(%q) === null`, waiting, inProgress))
}

// poll waits until the JavaScript expression is true in the page.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingTimeout(20*time.Second),
		chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 2000)`))
		t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, html)
	}
}

// TestSnapshotMatchesSimulator lets the scenario run, then compares the
// relay's model with the simulator's own, row by row.
func TestSnapshotMatchesSimulator(t *testing.T) {
	s := startSite(t, sim.Config{
		Seed:       11,
		Scenario:   sim.MidSize(),
		Clock:      sim.NewAcceleratedClock(30),
		BatchDelay: 50 * time.Millisecond,
	}, nil)
	s.waitReady(t)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	s.sim.RunScenario(ctx)
	cancel()
	s.sim.Flush()

	want := decodeTables(t, s.sim.ModelJSON())
	var got map[string]map[string]map[string]any
	waitFor(t, 10*time.Second, "relay model equal to the simulator's", func() bool {
		got = decodeTables(t, s.snapshot(t).Tables)
		return cmp.Equal(want, got)
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relay snapshot mismatch (-simulator +relay):\n%s", diff)
	}
	rows := 0
	for _, table := range want {
		rows += len(table)
	}
	if rows < 100 {
		t.Errorf("simulator model has %d rows; the comparison needs a populated site", rows)
	}
}

func decodeTables(t *testing.T, raw []byte) map[string]map[string]map[string]any {
	t.Helper()
	var tables map[string]map[string]map[string]any
	if err := json.Unmarshal(raw, &tables); err != nil {
		t.Fatalf("decoding tables: %v", err)
	}
	return tables
}
