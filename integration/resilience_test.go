package integration_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/shared/wire"
)

// quickSite is a small simulated site whose changes reach clients at once.
func quickSite(t *testing.T, extra map[string]string) *site {
	t.Helper()
	s := startSite(t, sim.Config{Seed: 3, Scenario: sim.SmallOffice(), BatchDelay: 10 * time.Millisecond}, extra)
	s.waitReady(t)
	return s
}

// addCustomer adds a waiting customer to the first team and sends it.
func addCustomer(t *testing.T, s *site, name string) int64 {
	t.Helper()
	id, _ := s.sim.AddCustomer(sim.Customer{
		Name: name, TeamCodeName: s.sim.Teams()[0].CodeName,
		StartMethod: "session_key", ClientType: "desktop",
	})
	if id == 0 {
		t.Fatal("simulator did not add the customer")
	}
	s.sim.Flush()
	return id
}

func TestRelayReconnectsAfterDrop(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step before the drop")

	s.sim.DropConnections()
	// Changes while the relay is away must arrive through the new snapshot.
	addCustomer(t, s, "During Outage")
	waitFor(t, 10*time.Second, "viewer told the appliance is unavailable", func() bool {
		return v.sawStatus(wire.ApplianceUnavailable)
	})
	waitFor(t, 20*time.Second, "relay connected again", func() bool {
		return v.status() == wire.ApplianceConnected
	})
	v.waitMatches(t, s, "viewer in step after the reconnect")
	addCustomer(t, s, "After Reconnect")
	v.waitMatches(t, s, "viewer follows updates after the reconnect")
}

func TestRelayResyncsOnTruncateModel(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step before truncate_model")
	before := s.sim.TokenRequests()
	v.minRowsSince()

	s.sim.TruncateModel()
	addCustomer(t, s, "After Truncate")
	v.waitMatches(t, s, "viewer in step after truncate_model")
	// A resync replaces the model; it never shows an empty site between.
	if n := v.minRowsSince(); n == 0 {
		t.Error("viewer saw an empty model during the resync")
	}
	// The relay resynchronises with a new subscription but reuses its token.
	if got := s.sim.TokenRequests(); got != before {
		t.Errorf("token requests went from %d to %d; the cached token should be reused", before, got)
	}
}

func TestRelayResyncsOnModelReset(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step before the reset")

	v.minRowsSince()
	s.sim.ResetModel()
	v.waitMatches(t, s, "viewer in step after the appliance restarted with new ids")
	if n := v.minRowsSince(); n == 0 {
		t.Error("viewer saw an empty model during the resync")
	}
	addCustomer(t, s, "After Reset")
	v.waitMatches(t, s, "viewer follows updates after the reset")
}

func TestRelayRecoversFromRevokedToken(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step before the revocation")
	before := s.sim.TokenRequests()

	s.sim.RevokeTokens()
	waitFor(t, 20*time.Second, "a new token", func() bool { return s.sim.TokenRequests() > before })
	waitFor(t, 20*time.Second, "relay connected again", func() bool {
		return v.status() == wire.ApplianceConnected
	})
	addCustomer(t, s, "After Revoke")
	v.waitMatches(t, s, "viewer follows updates after the revocation")
}

func TestRelayDisabled(t *testing.T) {
	s := startSite(t, sim.Config{Seed: 1}, map[string]string{"RTD_DISABLED": "true"})
	v := s.connectViewer(t)
	waitFor(t, 10*time.Second, "disabled status", func() bool { return v.status() == wire.ApplianceDisabled })
	time.Sleep(300 * time.Millisecond)
	if got := s.sim.TokenRequests(); got != 0 {
		t.Errorf("a disabled relay requested %d tokens, want 0", got)
	}
	if got := s.sim.ConnectionCount(); got != 0 {
		t.Errorf("a disabled relay opened %d state API connections, want 0", got)
	}
}

// TestViewersJoinDuringActivity connects viewers while the scenario runs
// fast and checks that every one ends with the simulator's model.
func TestViewersJoinDuringActivity(t *testing.T) {
	s := startSite(t, sim.Config{
		Seed: 21, Scenario: sim.MidSize(), Clock: sim.NewAcceleratedClock(60), BatchDelay: 5 * time.Millisecond,
	}, nil)
	s.waitReady(t)
	ctx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.sim.RunScenario(ctx)
	}()
	var viewers []*viewer
	for i := 0; i < 8; i++ {
		viewers = append(viewers, s.connectViewer(t))
		time.Sleep(250 * time.Millisecond)
	}
	cancel()
	<-done
	s.sim.Flush()
	for i, v := range viewers {
		v.waitMatches(t, s, "viewer "+strings.Repeat("I", i+1)+" in step")
	}
}

// TestOutageStatusForSupervisors stops the appliance and checks what
// browsers learn: a short reason without addresses, and one start time
// for the whole outage however many attempts fail, so that the age of the
// data keeps growing.
func TestOutageStatusForSupervisors(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step")
	s.sim.Close()
	waitFor(t, 20*time.Second, "two failed attempts reported", func() bool {
		return len(v.unavailableStatuses()) >= 3
	})
	got := v.unavailableStatuses()
	for _, st := range got {
		if st.Since != got[0].Since {
			t.Errorf("outage start moved from %d to %d between attempts", got[0].Since, st.Since)
		}
		if strings.Contains(st.Reason, "127.0.0.1") || strings.Contains(st.Reason, "wss://") {
			t.Errorf("browsers were sent an address in the reason %q", st.Reason)
		}
		if st.Reason == "" {
			t.Error("unavailable status without a reason")
		}
	}
	if resp, body := httpGet(t, s.relayURL+"/readyz"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "wss://") {
		t.Errorf("/readyz during the outage = %d %q, want 503 with the full error", resp.StatusCode, body)
	}
}
