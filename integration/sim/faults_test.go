package sim_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

func TestMalformedFaultsLeaveModelAlone(t *testing.T) {
	checks := map[sim.FaultKind]func(line string, model clientModel) bool{
		sim.FaultBadJSON: func(line string, _ clientModel) bool { return !json.Valid([]byte(line)) },
		sim.FaultUnknownTable: func(line string, _ clientModel) bool {
			var m message
			return json.Unmarshal([]byte(line), &m) == nil && len(m.Insert[sim.UnknownTable]) == 1
		},
		sim.FaultUnknownColumn: func(line string, model clientModel) bool {
			var m message
			if json.Unmarshal([]byte(line), &m) != nil {
				return false
			}
			for table, rows := range m.Update {
				for id, values := range rows {
					_, known := model[table][id]
					_, injected := values[sim.UnknownColumn]
					return known && injected
				}
			}
			return false
		},
		sim.FaultUnknownUpdate: func(line string, model clientModel) bool {
			var m message
			if json.Unmarshal([]byte(line), &m) != nil || len(m.Update["support_session"]) != 1 {
				return false
			}
			for id := range m.Update["support_session"] {
				_, known := model["support_session"][id]
				return !known
			}
			return false
		},
		sim.FaultUnknownDelete: func(line string, model clientModel) bool {
			var m message
			if json.Unmarshal([]byte(line), &m) != nil || len(m.Delete["support_session"]) != 1 {
				return false
			}
			id, _ := m.Delete["support_session"][0].(string)
			_, known := model["support_session"][id]
			return id != "" && !known
		},
		sim.FaultUnknownType: func(line string, _ clientModel) bool {
			var m message
			return json.Unmarshal([]byte(line), &m) == nil && m.Type == sim.UnknownMessageType
		},
	}
	for _, kind := range sim.MalformedFaults {
		t.Run(string(kind), func(t *testing.T) {
			s, _ := startSim(t, nil)
			c := mustDialState(t, s)
			model := newTolerantModel()
			model.tables = clientModel(c.handshake(token(t, s)).Insert)
			before := s.ModelJSON()

			if err := s.InjectFault(kind); err != nil {
				t.Fatalf("InjectFault: %v", err)
			}
			if diff := cmp.Diff(string(before), string(s.ModelJSON())); diff != "" {
				t.Errorf("ModelJSON changed by the fault (-before +after):\n%s", diff)
			}
			line := c.mustLine()
			if !checks[kind](line, model.tables) {
				t.Errorf("fault line %q does not have the %s shape", line, kind)
			}
			if model.applyLine(line); model.skipped != 1 {
				t.Errorf("a correct client skips %d parts of %q, want 1", model.skipped, line)
			}

			// The stream goes on and the client stays equal to ModelJSON.
			s.AddCustomer(sim.Customer{})
			s.Flush()
			if typ := model.applyLine(c.mustLine()); typ != "model_update" {
				t.Errorf("message after the fault = %q, want model_update", typ)
			}
			if diff := cmp.Diff(decodeModel(t, s.ModelJSON()), model.tables); diff != "" {
				t.Errorf("client model differs from ModelJSON (-model +client):\n%s", diff)
			}
		})
	}
}

func TestInjectFaultKinds(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.handshake(token(t, s))
	if err := s.InjectFault(sim.FaultTruncate); err != nil {
		t.Fatal(err)
	}
	if m := c.mustMessage(); m.Type != "truncate_model" {
		t.Errorf("after FaultTruncate: %q, want truncate_model", m.Type)
	}
	c.mustMessage()
	if err := s.InjectFault(sim.FaultRevoke); err != nil {
		t.Fatal(err)
	}
	if _, err := c.line(); err == nil {
		t.Error("socket still open after FaultRevoke")
	}
	if err := s.InjectFault("melt"); err == nil {
		t.Error("InjectFault of an unknown kind succeeded")
	}
	if got := s.FaultsInjected(); got != 2 {
		t.Errorf("FaultsInjected() = %d, want 2", got)
	}
	kinds, err := sim.ParseFaultKinds("drop, stall,bad_json")
	if err != nil || !slices.Equal(kinds, []sim.FaultKind{sim.FaultDrop, sim.FaultStall, sim.FaultBadJSON}) {
		t.Errorf("ParseFaultKinds = %v, %v", kinds, err)
	}
	if _, err := sim.ParseFaultKinds("drop,melt"); err == nil {
		t.Error("ParseFaultKinds accepted an unknown kind")
	}
}

func TestStallDelaysWithoutClosing(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.handshake(token(t, s))
	const stall = 800 * time.Millisecond
	s.Stall(stall)
	started := time.Now()
	s.AddCustomer(sim.Customer{})
	s.Flush()
	if m := c.mustMessage(); m.Type != "model_update" {
		t.Fatalf("message after the stall = %q, want model_update", m.Type)
	}
	if waited := time.Since(started); waited < stall-100*time.Millisecond {
		t.Errorf("update arrived after %v, want the stall of %v first", waited, stall)
	}

	// A socket opened during a stall is not stalled.
	s.Stall(time.Hour)
	fresh := mustDialState(t, s)
	fresh.handshake(token(t, s))
}

func TestScheduledFaults(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Faults = sim.FaultConfig{Interval: 30 * time.Millisecond, Kinds: []sim.FaultKind{sim.FaultUnknownType, sim.FaultUnknownDelete}}
	})
	c := mustDialState(t, s)
	c.handshake(token(t, s))
	var types []string
	for range 4 {
		var m message
		if err := json.Unmarshal([]byte(c.mustLine()), &m); err != nil {
			t.Fatal(err)
		}
		types = append(types, m.Type)
	}
	want := []string{sim.UnknownMessageType, "model_update", sim.UnknownMessageType, "model_update"}
	// The schedule may have run once before the socket subscribed.
	if !slices.Equal(types, want) && !slices.Equal(types, append(want[1:], sim.UnknownMessageType)) {
		t.Errorf("scheduled fault lines = %v, want alternating %v", types, want[:2])
	}
	s.StopFaults()
	count := s.FaultsInjected()
	time.Sleep(100 * time.Millisecond)
	if got := s.FaultsInjected(); got != count {
		t.Errorf("FaultsInjected() went from %d to %d after StopFaults", count, got)
	}
	if count < 4 {
		t.Errorf("FaultsInjected() = %d, want at least 4", count)
	}
}
