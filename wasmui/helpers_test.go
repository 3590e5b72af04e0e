package wasmui

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parsing %q: %v", raw, err)
	}
	return u
}

// relayMessages builds relay envelopes stamped with the relay time now, so
// the feed learns a zero clock offset.
type relayMessages struct {
	t   *testing.T
	now time.Time
}

func (m relayMessages) frame(env wire.Envelope) frame {
	m.t.Helper()
	env.Time = m.now.UnixMilli()
	data, err := json.Marshal(env)
	if err != nil {
		m.t.Fatalf("encoding %s envelope: %v", env.Type, err)
	}
	return frame{Data: data, Received: m.now}
}

func (m relayMessages) hello(slaSeconds int64) frame {
	return m.frame(wire.Envelope{Type: wire.TypeHello, Hello: &wire.Hello{
		ConfigName:      "Service desk",
		ApplianceID:     "appliance-1",
		Settings:        view.Settings{WaitingSLAs: view.SLAs{Default: slaSeconds}},
		HeartbeatMillis: 10000,
	}})
}

func (m relayMessages) status(appliance string) frame {
	return m.frame(wire.Envelope{Type: wire.TypeStatus, Status: &wire.Status{Appliance: appliance}})
}

// snapshot returns a snapshot at seq with the given model rows, keyed by
// table, then row id, then column.
func (m relayMessages) snapshot(seq uint64, rows map[string]map[string]map[string]any) frame {
	m.t.Helper()
	model := state.NewModel()
	res := model.Apply(&state.Message{Type: state.TypeModelUpdate, Insert: m.section(rows)})
	if res.AnomalyCount != 0 {
		m.t.Fatalf("test model has %d anomalies: %+v", res.AnomalyCount, res)
	}
	return m.frame(wire.Envelope{Type: wire.TypeSnapshot, Seq: seq, Snapshot: &wire.Snapshot{Tables: model.AppendJSON(nil)}})
}

// insertDiff returns a diff at seq that inserts the given rows.
func (m relayMessages) insertDiff(seq uint64, rows map[string]map[string]map[string]any) frame {
	m.t.Helper()
	msg, err := json.Marshal(state.Message{Type: state.TypeModelUpdate, Insert: m.section(rows)})
	if err != nil {
		m.t.Fatal(err)
	}
	return m.frame(wire.Envelope{Type: wire.TypeDiff, Seq: seq, Diff: msg})
}

func (m relayMessages) section(rows map[string]map[string]map[string]any) map[string]json.RawMessage {
	m.t.Helper()
	section := make(map[string]json.RawMessage, len(rows))
	for table, tableRows := range rows {
		raw, err := json.Marshal(tableRows)
		if err != nil {
			m.t.Fatal(err)
		}
		section[table] = raw
	}
	return section
}

// deskRows is a small site at appliance time now: team queue 1, available
// representative 10, session 100 waiting for five minutes and session 101
// held by the representative for fifteen.
func deskRows(now int64) map[string]map[string]map[string]any {
	return map[string]map[string]map[string]any{
		state.TableQueue: {
			"1": {"name": "Windows Support", "code_name": "windows", "type": "team"},
			"2": {"name": "Alice Example", "code_name": "alice", "type": "personal"},
		},
		state.TableRepresentative: {
			"10": {"username": "alice", "public_display_name": "Alice Example",
				"routing_available": 1, "routing_enabled": 1, "queue_id": 2,
				"created_timestamp": now - 3600},
		},
		state.TableRepresentativeQueue: {"20": {"representative_id": 10, "queue_id": 1}},
		state.TableSupportSession: {
			"100": {"queue_id": 1, "queue_entry_timestamp": now - 300,
				"customer_name": "Bob Waiting", "created_timestamp": now - 300},
			"101": {"queue_id": 2, "queue_entry_timestamp": now - 900,
				"customer_name": "Carol Helped", "created_timestamp": now - 900},
		},
		state.TableRepresentativeSupportSession: {"30": {"support_session_id": 101, "representative_id": 10}},
	}
}

// waitingRows returns one waiting session row for session id, which
// entered its queue at entered.
func waitingRows(id string, entered int64) map[string]map[string]map[string]any {
	return map[string]map[string]map[string]any{
		state.TableSupportSession: {
			id: {"queue_id": 1, "queue_entry_timestamp": entered, "customer_name": "Customer " + id},
		},
	}
}
