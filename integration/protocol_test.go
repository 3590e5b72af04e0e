package integration_test

import (
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

// TestRelayProtocolVariants runs the relay against each documented wire
// variant of the state API and checks that its model follows the
// simulator's.
func TestRelayProtocolVariants(t *testing.T) {
	tests := []struct {
		name     string
		protocol sim.ProtocolConfig
		extra    map[string]string
	}{
		{"messages split across frames", sim.ProtocolConfig{SplitFrameSize: 7}, nil},
		{"messages packed into frames", sim.ProtocolConfig{PackMessages: 5}, nil},
		{"text frames", sim.ProtocolConfig{TextFrames: true}, nil},
		{"update_model type", sim.ProtocolConfig{UseUpdateModelType: true}, nil},
		{"legacy application chooser", sim.ProtocolConfig{RequireApplicationChooser: true},
			map[string]string{"RTD_LEGACY_CHOOSER": "true", "RTD_COMPANY": "example"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startSite(t, sim.Config{
				Seed: 5, Company: "example", Scenario: sim.SmallOffice(),
				BatchDelay: 10 * time.Millisecond, Protocol: tc.protocol,
			}, tc.extra)
			s.waitReady(t)
			v := s.connectViewer(t)
			v.waitMatches(t, s, "viewer in step after the snapshot")
			for i := 0; i < 5; i++ {
				addCustomer(t, s, "Variant Customer")
			}
			v.waitMatches(t, s, "viewer in step after updates")
		})
	}
}

func TestRelayRejectsWrongCompany(t *testing.T) {
	s := startSite(t, sim.Config{
		Seed: 5, Company: "example", Scenario: sim.SmallOffice(),
		Protocol: sim.ProtocolConfig{RequireApplicationChooser: true},
	}, map[string]string{"RTD_LEGACY_CHOOSER": "true", "RTD_COMPANY": "other"})
	v := s.connectViewer(t)
	waitFor(t, 10*time.Second, "appliance unavailable", func() bool { return v.status() == "unavailable" })
	if reason := v.reason(); !contains(reason, "RTD_COMPANY") {
		t.Errorf("unavailable reason %q does not point at RTD_COMPANY", reason)
	}
}
