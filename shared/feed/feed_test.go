package feed_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// start is the browser's local time when a test begins.
var start = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

const siteTables = `{
	"queue":{"3":{"name":"Tech Support","code_name":"tech","type":"team"},
		"7":{"name":"Noisy","code_name":"noisy","type":"team"},
		"9":{"name":"Bob","type":"personal"}},
	"representative":{"4":{"username":"bob","public_display_name":"Bob","routing_enabled":1,"routing_available":1,"queue_id":9}},
	"representative_queue":{"1":{"representative_id":4,"queue_id":7}},
	"support_session":{"21":{"queue_id":3,"queue_entry_timestamp":1000,"customer_name":"Jane"},
		"22":{"queue_id":7,"queue_entry_timestamp":900,"customer_name":"Joe"}}}`

func encode(t *testing.T, env wire.Envelope) []byte {
	t.Helper()
	data, err := json.Marshal(env)
	if err != nil {
		t.Fatalf("encoding %+v failed: %v", env, err)
	}
	return data
}

func snapshotAt(t *testing.T, seq uint64, tables string) []byte {
	t.Helper()
	return encode(t, wire.Envelope{
		Type:     wire.TypeSnapshot,
		Seq:      seq,
		Snapshot: &wire.Snapshot{Tables: json.RawMessage(tables)},
	})
}

func diffAt(t *testing.T, seq uint64, line string) []byte {
	t.Helper()
	return encode(t, wire.Envelope{Type: wire.TypeDiff, Seq: seq, Diff: json.RawMessage(line)})
}

func heartbeatAt(t *testing.T, seq uint64) []byte {
	t.Helper()
	return encode(t, wire.Envelope{Type: wire.TypeHeartbeat, Seq: seq})
}

// handle passes one message to f and fails the test on an error.
func handle(t *testing.T, f *feed.Feed, data []byte) feed.Change {
	t.Helper()
	change, err := f.Handle(data, start)
	if err != nil {
		t.Fatalf("Handle(%s) failed: %v", data, err)
	}
	return change
}

// tablesOf returns the model's snapshot as decoded JSON.
func tablesOf(t *testing.T, m *state.Model) map[string]any {
	t.Helper()
	var tables map[string]any
	if err := json.Unmarshal(m.AppendJSON(nil), &tables); err != nil {
		t.Fatalf("decoding the model's snapshot failed: %v", err)
	}
	return tables
}

// modelOf returns a model loaded from snapshot tables.
func modelOf(t *testing.T, tables string) *state.Model {
	t.Helper()
	m := state.NewModel()
	if _, err := m.Load(json.RawMessage(tables)); err != nil {
		t.Fatalf("Load() failed: %v", err)
	}
	return m
}

func customers(board *view.Board) []string {
	var names []string
	for _, w := range board.Waiting {
		names = append(names, w.Customer)
	}
	for _, p := range board.InProgress {
		names = append(names, p.Customer)
	}
	return names
}

func TestFeedFullSequence(t *testing.T) {
	f := feed.New()
	hello := &wire.Hello{
		ConfigName:      "default",
		ApplianceID:     "Default",
		Settings:        view.Settings{IgnoredTeams: []string{"noisy"}},
		HeartbeatMillis: 10000,
	}
	status := &wire.Status{Appliance: wire.ApplianceConnected, Since: 1, ClockOffsetMillis: -1500}

	steps := []struct {
		name string
		data []byte
		want feed.Change
	}{
		{"hello", encode(t, wire.Envelope{Type: wire.TypeHello, Hello: hello}), feed.ChangedHello},
		{"status", encode(t, wire.Envelope{Type: wire.TypeStatus, Status: status}), feed.ChangedStatus},
		{"snapshot", snapshotAt(t, 10, siteTables), feed.ChangedModel},
		{"diff 11", diffAt(t, 11, `{"type":"model_update","insert":{"support_session":{"23":{"queue_id":3,"queue_entry_timestamp":950,"customer_name":"Kim"}}}}`), feed.ChangedModel},
		{"heartbeat", heartbeatAt(t, 11), 0},
		{"diff 12", diffAt(t, 12, `{"type":"model_update","delete":{"support_session":["21"]}}`), feed.ChangedModel},
		{"heartbeat", heartbeatAt(t, 12), 0},
	}
	for _, step := range steps {
		if got := handle(t, f, step.data); got != step.want {
			t.Errorf("%s: Handle() = %v, want %v", step.name, got, step.want)
		}
	}

	if diff := cmp.Diff(hello, f.Hello()); diff != "" {
		t.Errorf("Hello() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(*status, f.Status()); diff != "" {
		t.Errorf("Status() mismatch (-want +got):\n%s", diff)
	}
	if got := f.Seq(); got != 12 {
		t.Errorf("Seq() = %d, want 12", got)
	}
	if !f.Synced() {
		t.Errorf("Synced() = false, want true")
	}
	if diff := cmp.Diff([]int64{22, 23}, f.Model().SupportSessions.IDs()); diff != "" {
		t.Errorf("support session ids mismatch (-want +got):\n%s", diff)
	}
	// The hello's settings hide the ignored team's session 22.
	if diff := cmp.Diff([]string{"Kim"}, customers(f.Board())); diff != "" {
		t.Errorf("Board() customers mismatch (-want +got):\n%s", diff)
	}
	if f.Anomalies != 0 {
		t.Errorf("Anomalies = %d, want 0", f.Anomalies)
	}
}

func TestFeedGapReturnsErrOutOfSequence(t *testing.T) {
	tests := []struct {
		name string
		seq  uint64
	}{
		{"gap", 12},
		{"duplicate", 10},
		{"old", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := feed.New()
			handle(t, f, snapshotAt(t, 10, siteTables))
			before := tablesOf(t, f.Model())

			change, err := f.Handle(diffAt(t, tt.seq, `{"type":"model_update","delete":{"support_session":[21]}}`), start)

			if !errors.Is(err, feed.ErrOutOfSequence) {
				t.Errorf("Handle() error = %v, want ErrOutOfSequence", err)
			}
			if change != 0 {
				t.Errorf("Handle() = %v, want no change", change)
			}
			if f.Synced() {
				t.Errorf("Synced() = true after a sequence gap, want false")
			}
			if diff := cmp.Diff(before, tablesOf(t, f.Model())); diff != "" {
				t.Errorf("model changed by an out-of-sequence diff (-before +after):\n%s", diff)
			}

			// Later diffs are ignored until a snapshot arrives.
			change, err = f.Handle(diffAt(t, 11, `{"type":"model_update","delete":{"support_session":[21]}}`), start)

			if err != nil || change != 0 {
				t.Errorf("Handle() of the next diff = %v, %v, want no change and no error", change, err)
			}
			if f.Model().SupportSessions.Get(21) == nil {
				t.Errorf("a diff after the gap was applied, want it ignored")
			}
			if got := f.Seq(); got != 10 {
				t.Errorf("Seq() = %d, want 10", got)
			}
		})
	}
}

func TestFeedDiffsBeforeSnapshotIgnored(t *testing.T) {
	f := feed.New()

	change, err := f.Handle(diffAt(t, 1, `{"type":"model_update","insert":{"queue":{"5":{"name":"Early"}}}}`), start)

	if err != nil || change != 0 {
		t.Errorf("Handle() of a diff before the snapshot = %v, %v, want no change and no error", change, err)
	}
	if got := f.Model().Rows(); got != 0 {
		t.Errorf("Rows() = %d, want 0", got)
	}
	if f.Synced() {
		t.Errorf("Synced() = true before a snapshot, want false")
	}

	handle(t, f, snapshotAt(t, 5, siteTables))
	handle(t, f, diffAt(t, 6, `{"type":"model_update","insert":{"queue":{"5":{"name":"Late"}}}}`))

	if q := f.Model().Queues.Get(5); q == nil || q.Name != "Late" {
		t.Errorf("Queues.Get(5) = %+v, want the queue of the diff after the snapshot", q)
	}
}

func TestFeedSnapshotReplacesModel(t *testing.T) {
	const newTables = `{"queue":{"3":{"name":"Tech Support","code_name":"tech","type":"team"}},
		"support_session":{"30":{"queue_id":3,"customer_name":"Ann"}}}`
	tests := []struct {
		name string
		// lose breaks the connection between the first and second snapshot.
		lose func(t *testing.T, f *feed.Feed)
	}{
		{"after a disconnect", func(t *testing.T, f *feed.Feed) { f.Disconnected() }},
		{"after a gap", func(t *testing.T, f *feed.Feed) {
			if _, err := f.Handle(diffAt(t, 20, `{"type":"truncate_model"}`), start); !errors.Is(err, feed.ErrOutOfSequence) {
				t.Fatalf("Handle() error = %v, want ErrOutOfSequence", err)
			}
		}},
		{"while synced", func(t *testing.T, f *feed.Feed) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := feed.New()
			handle(t, f, snapshotAt(t, 10, siteTables))
			handle(t, f, diffAt(t, 11, `{"type":"model_update","insert":{"queue":{"5":{"name":"Billing"}}}}`))
			tt.lose(t, f)
			if tt.name != "while synced" && f.Synced() {
				t.Fatalf("Synced() = true after the connection was lost, want false")
			}

			if got := handle(t, f, snapshotAt(t, 3, newTables)); got != feed.ChangedModel {
				t.Errorf("Handle() of the snapshot = %v, want ChangedModel", got)
			}

			if diff := cmp.Diff(tablesOf(t, modelOf(t, newTables)), tablesOf(t, f.Model())); diff != "" {
				t.Errorf("model after the new snapshot mismatch (-want +got):\n%s", diff)
			}
			if got := f.Seq(); got != 3 {
				t.Errorf("Seq() = %d, want 3 from the new snapshot", got)
			}
			if !f.Synced() {
				t.Errorf("Synced() = false after a snapshot, want true")
			}
			handle(t, f, diffAt(t, 4, `{"type":"model_update","delete":{"support_session":[30]}}`))
			if got := f.Model().SupportSessions.Len(); got != 0 {
				t.Errorf("SupportSessions.Len() = %d after the diff following the new snapshot, want 0", got)
			}
		})
	}
}

func TestFeedSnapshotRestoresTeamQueues(t *testing.T) {
	// Session 21 sits in Bob's personal queue, and the snapshot's team
	// queues record that it waited in Tech Support.
	const tables = `{"queue":{"3":{"name":"Tech Support","code_name":"tech","type":"team"},"9":{"type":"personal"}},
		"representative":{"4":{"username":"bob","queue_id":9}},
		"support_session":{"21":{"queue_id":9,"customer_name":"Jane"}},
		"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}}`
	f := feed.New()

	handle(t, f, encode(t, wire.Envelope{
		Type: wire.TypeSnapshot,
		Seq:  1,
		Snapshot: &wire.Snapshot{
			Tables:     json.RawMessage(tables),
			TeamQueues: map[string]int64{"21": 3, "not-an-id": 3, "99": 3},
		},
	}))

	if id, ok := f.Model().TeamQueueOf(21); id != 3 || !ok {
		t.Errorf("TeamQueueOf(21) = %d, %t, want 3, true", id, ok)
	}
	if _, ok := f.Model().TeamQueueOf(99); ok {
		t.Errorf("TeamQueueOf(99) found a queue for a session not in the snapshot")
	}
	board := f.Board()
	if len(board.InProgress) != 1 || board.InProgress[0].Team != "Tech Support" {
		t.Errorf("Board().InProgress = %+v, want session 21 of Tech Support", board.InProgress)
	}
}

func TestFeedHeartbeat(t *testing.T) {
	f := feed.New()

	if _, err := f.Handle(heartbeatAt(t, 7), start); err != nil {
		t.Errorf("Handle() of a heartbeat before the snapshot failed: %v", err)
	}
	handle(t, f, snapshotAt(t, 10, siteTables))
	if got := handle(t, f, heartbeatAt(t, 10)); got != 0 {
		t.Errorf("Handle() of a matching heartbeat = %v, want no change", got)
	}

	_, err := f.Handle(heartbeatAt(t, 11), start)

	if !errors.Is(err, feed.ErrOutOfSequence) {
		t.Errorf("Handle() of a heartbeat ahead of the model: error = %v, want ErrOutOfSequence", err)
	}
	if f.Synced() {
		t.Errorf("Synced() = true after a heartbeat showed a missed diff, want false")
	}
}

func TestFeedBadDiffCountsAnomaly(t *testing.T) {
	f := feed.New()
	handle(t, f, snapshotAt(t, 10, siteTables))

	change, err := f.Handle(diffAt(t, 11, `["not","a","state","message"]`), start)

	if err != nil || change != 0 {
		t.Errorf("Handle() of an undecodable diff = %v, %v, want no change and no error", change, err)
	}
	if f.Anomalies != 1 {
		t.Errorf("Anomalies = %d, want 1", f.Anomalies)
	}
	if got := f.Seq(); got != 11 {
		t.Errorf("Seq() = %d, want 11: the undecodable diff still used its number", got)
	}

	handle(t, f, diffAt(t, 12, `{"type":"model_update","insert":{"mystery":{}},"delete":{"queue":[77]}}`))

	if f.Anomalies != 3 {
		t.Errorf("Anomalies = %d, want 3 after an unknown table and a delete of an unknown id", f.Anomalies)
	}
}

func TestFeedHandleErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"not JSON", `hello`},
		{"hello without content", `{"type":"hello","time":1}`},
		{"status without content", `{"type":"status","time":1}`},
		{"snapshot without content", `{"type":"snapshot","seq":4,"time":1}`},
		{"snapshot tables not an object", `{"type":"snapshot","seq":4,"time":1,"snapshot":{"tables":[1]}}`},
		{"snapshot without tables", `{"type":"snapshot","seq":4,"time":1,"snapshot":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := feed.New()
			handle(t, f, snapshotAt(t, 1, siteTables))
			before := tablesOf(t, f.Model())

			change, err := f.Handle([]byte(tt.data), start)

			if err == nil {
				t.Errorf("Handle(%s) = %v, want an error", tt.data, change)
			}
			if change != 0 {
				t.Errorf("Handle(%s) = %v, want no change", tt.data, change)
			}
			if diff := cmp.Diff(before, tablesOf(t, f.Model())); diff != "" {
				t.Errorf("model changed by a failed message (-before +after):\n%s", diff)
			}
		})
	}
}

func TestFeedUnknownTypeIgnored(t *testing.T) {
	f := feed.New()
	handle(t, f, snapshotAt(t, 1, siteTables))

	change, err := f.Handle([]byte(`{"type":"presence","seq":99,"time":5}`), start)

	if err != nil || change != 0 {
		t.Errorf("Handle() of an unknown type = %v, %v, want no change and no error", change, err)
	}
	if !f.Synced() || f.Seq() != 1 {
		t.Errorf("Synced() = %t, Seq() = %d after an unknown type, want true, 1", f.Synced(), f.Seq())
	}
}

func TestFeedLastData(t *testing.T) {
	f := feed.New()
	if !f.LastData().IsZero() {
		t.Errorf("LastData() = %v before any message, want zero", f.LastData())
	}
	at := start.Add(42 * time.Second)

	if _, err := f.Handle(heartbeatAt(t, 0), at); err != nil {
		t.Fatalf("Handle() failed: %v", err)
	}

	if got := f.LastData(); !got.Equal(at) {
		t.Errorf("LastData() = %v, want %v", got, at)
	}
}

func TestFeedRelayOffsetIsMaxOfRecentSamples(t *testing.T) {
	f := feed.New()
	if got := f.RelayOffset(); got != 0 {
		t.Errorf("RelayOffset() without samples = %v, want 0", got)
	}

	// Each message arrives one second after the last. Its relay time is
	// the local time plus an offset that network delay makes look smaller.
	offsets := []int64{4800, 5000, 4950, 4700}
	local := start
	for _, offset := range offsets {
		local = local.Add(time.Second)
		data := encode(t, wire.Envelope{Type: wire.TypeHeartbeat, Time: local.UnixMilli() + offset})
		if _, err := f.Handle(data, local); err != nil {
			t.Fatalf("Handle() failed: %v", err)
		}
	}
	if got, want := f.RelayOffset(), 5000*time.Millisecond; got != want {
		t.Errorf("RelayOffset() = %v, want %v", got, want)
	}

	// A message without a relay time adds no sample.
	if _, err := f.Handle(encode(t, wire.Envelope{Type: wire.TypeHeartbeat}), local); err != nil {
		t.Fatalf("Handle() failed: %v", err)
	}
	if got, want := f.RelayOffset(), 5000*time.Millisecond; got != want {
		t.Errorf("RelayOffset() after a message without time = %v, want %v", got, want)
	}

	// After 16 newer samples the 5,000 ms sample is forgotten, so the
	// estimate follows a relay clock that was set back.
	for range 16 {
		local = local.Add(time.Second)
		data := encode(t, wire.Envelope{Type: wire.TypeHeartbeat, Time: local.UnixMilli() - 200})
		if _, err := f.Handle(data, local); err != nil {
			t.Fatalf("Handle() failed: %v", err)
		}
	}
	if got, want := f.RelayOffset(), -200*time.Millisecond; got != want {
		t.Errorf("RelayOffset() after 16 newer samples = %v, want %v", got, want)
	}
}

func TestFeedApplianceNow(t *testing.T) {
	tests := []struct {
		name            string
		relayMillis     int64 // relay clock minus local clock
		applianceMillis int64 // appliance clock minus relay clock
		want            int64 // appliance Unix seconds at local time start
	}{
		{"clocks agree", 0, 0, start.Unix()},
		{"relay ahead", 2000, 0, start.Unix() + 2},
		{"appliance behind", 0, -90_000, start.Unix() - 90},
		{"both", 2000, -90_000, start.Unix() - 88},
		{"minutes apart", -300_000, 120_000, start.Unix() - 180},
		{"below a second", 400, 300, start.Unix()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := feed.New()
			status := &wire.Status{Appliance: wire.ApplianceConnected, ClockOffsetMillis: tt.applianceMillis}
			data := encode(t, wire.Envelope{Type: wire.TypeStatus, Time: start.UnixMilli() + tt.relayMillis, Status: status})
			if _, err := f.Handle(data, start); err != nil {
				t.Fatalf("Handle() failed: %v", err)
			}

			if got := f.ApplianceNow(start); got != tt.want {
				t.Errorf("ApplianceNow() = %d, want %d (%+d s from local)", got, tt.want, tt.want-start.Unix())
			}
			if got := f.ApplianceNow(start.Add(time.Minute)); got != tt.want+60 {
				t.Errorf("ApplianceNow() a minute later = %d, want %d", got, tt.want+60)
			}
		})
	}
}

func TestFeedCSATAndClosed(t *testing.T) {
	f := feed.New()
	now := time.Now()
	hello := `{"type":"hello","time":1,"hello":{"settings":{"ignored_teams":["vip"],"start_methods":["session_key"]}}}`
	if _, err := f.Handle([]byte(hello), now); err != nil {
		t.Fatal(err)
	}
	if f.CSAT() != nil {
		t.Error("CSAT before any CSAT message is not nil")
	}
	change, err := f.Handle([]byte(`{"type":"csat","time":1,"csat":{"available":true,"average":4.5,"count":12,"question":"rating"}}`), now)
	if err != nil || change != feed.ChangedCSAT {
		t.Fatalf("Handle(csat) = %v, %v; want ChangedCSAT", change, err)
	}
	if diff := cmp.Diff(&wire.CSAT{Available: true, Average: 4.5, Count: 12, Question: "rating"}, f.CSAT()); diff != "" {
		t.Errorf("CSAT mismatch (-want +got):\n%s", diff)
	}
	closed := `{"type":"closed","time":1,"closed":[
		{"id":3,"lsid":"a","customer":"Shown","team_code":"tier1","start_method":"session_key"},
		{"id":2,"lsid":"b","customer":"Ignored team","team_code":"VIP","start_method":"session_key"},
		{"id":1,"lsid":"c","customer":"Other method","team_code":"tier1","start_method":"issue_submission"}]}`
	change, err = f.Handle([]byte(closed), now)
	if err != nil || change != feed.ChangedClosed {
		t.Fatalf("Handle(closed) = %v, %v; want ChangedClosed", change, err)
	}
	var names []string
	for _, c := range f.Closed() {
		names = append(names, c.Customer)
	}
	if diff := cmp.Diff([]string{"Shown"}, names); diff != "" {
		t.Errorf("closed sessions shown mismatch (-want +got):\n%s", diff)
	}
	if _, err := f.Handle([]byte(`{"type":"csat","time":1}`), now); err == nil {
		t.Error("a CSAT message without content was accepted")
	}
}
