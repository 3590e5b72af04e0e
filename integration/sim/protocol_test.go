package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

func TestSlowClientDisconnected(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Protocol.SendBuffer = 4
		cfg.Scenario = sim.ScenarioConfig{Teams: 2, Reps: 3, TeamsPerRep: 2}
	})
	c := mustDialState(t, s)
	c.handshake(token(t, s))

	// The client stops reading. Large batches fill the TCP buffers, the
	// writer blocks and the queue of 4 messages overflows.
	description := strings.Repeat("a long problem description ", 40)
	deadline := time.Now().Add(20 * time.Second)
	for s.ConnectionCount() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the slow client was not disconnected within 20 s")
		}
		for range 200 {
			s.AddCustomer(sim.Customer{Description: description})
		}
		s.Flush()
		time.Sleep(5 * time.Millisecond)
	}

	// The client now reads what reached it, then the end of the socket.
	c.timeout = 5 * time.Second
	for {
		if _, err := c.line(); err != nil {
			break
		}
	}
}

func TestCloseSocketsOnExpiry(t *testing.T) {
	s, clock := startSim(t, func(cfg *sim.Config) {
		cfg.Protocol.CloseSocketsOnExpiry = true
		cfg.TokenLifetime = time.Minute
	})
	c := mustDialState(t, s)
	c.handshake(token(t, s))
	clock.Advance(61 * time.Second)
	_, err := c.line()
	if err == nil || !strings.Contains(err.Error(), "token expired") {
		t.Errorf("read after expiry: err = %v, want close with reason \"token expired\"", err)
	}
}

func TestSocketKeptAfterExpiryByDefault(t *testing.T) {
	s, clock := startSim(t, func(cfg *sim.Config) { cfg.TokenLifetime = time.Minute })
	c := mustDialState(t, s)
	c.handshake(token(t, s))
	clock.Advance(2 * time.Minute)
	time.Sleep(1500 * time.Millisecond) // longer than one expiry check
	s.AddCustomer(sim.Customer{})
	s.Flush()
	if m := c.mustMessage(); m.Type != "model_update" {
		t.Errorf("message after expiry = %q, want model_update", m.Type)
	}
}

func TestLegacyUsernamePassword(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Protocol.LegacyUsername = "apiuser"
		cfg.Protocol.LegacyPassword = "secret"
	})
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"username":"apiuser","password":"secret"}}` + "\n" +
		`{"type":"subscribe","tables":"all"}` + "\n")
	if m := c.mustMessage(); m.Success == nil || !*m.Success {
		t.Fatalf("authenticate reply = %+v, want success", m)
	}
	if m := c.mustMessage(); m.Success == nil || !*m.Success {
		t.Fatalf("subscribe reply = %+v, want success", m)
	}
	if m := c.mustMessage(); m.Type != "model_update" || len(m.Insert["queue"]) == 0 {
		t.Errorf("snapshot = %+v, want model_update with queues", m.Type)
	}

	wrong := mustDialState(t, s)
	wrong.sendText(`{"type":"authenticate","credentials":{"username":"apiuser","password":"guess"}}` + "\n")
	if m := wrong.mustMessage(); m.Success == nil || *m.Success {
		t.Errorf("reply to a wrong password = %+v, want success false", m)
	}
	if _, err := wrong.line(); err == nil {
		t.Error("socket still open after a wrong password")
	}
}

func TestLegacyLoginOffByDefault(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"username":"","password":""}}` + "\n")
	if m := c.mustMessage(); m.Success == nil || *m.Success {
		t.Errorf("reply = %+v, want success false without legacy credentials", m)
	}
}

func TestRequireApplicationChooser(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.Protocol.RequireApplicationChooser = true })
	without := mustDialState(t, s)
	without.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, s) + `"}}` + "\n")
	if got := without.mustLine(); got != "1 Unknown application" {
		t.Errorf("reply without chooser = %q, want %q", got, "1 Unknown application")
	}
	if _, err := without.line(); err == nil {
		t.Error("socket still open after a missing chooser line")
	}

	with := mustDialState(t, s)
	with.sendText("NS01" + testCompany + "\ningredi state api\n")
	if got := with.mustLine(); got != "0 Application chosen" {
		t.Fatalf("chooser reply = %q, want %q", got, "0 Application chosen")
	}
	with.handshake(token(t, s))
}
