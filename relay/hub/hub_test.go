package hub_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// line builds a model_update inserting one support session.
func insertSession(id int) []byte {
	return []byte(fmt.Sprintf(`{"type":"model_update","insert":{"support_session":{"%d":{"lsid":"%032x","queue_id":1,"customer_name":"c%d"}}}}`, id, id, id))
}

func apply(t *testing.T, h *hub.Hub, raw []byte, snapshot bool) {
	t.Helper()
	msg, err := state.Decode(raw)
	if err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	if snapshot {
		h.Snapshot(msg, raw, time.Now())
		return
	}
	h.Update(msg, raw, time.Now())
}

// drain feeds a client's messages into a feed until the client is dropped
// or stop is closed, and returns the first error.
func drain(f *feed.Feed, first [][]byte, c *hub.Client, stop <-chan struct{}) error {
	for _, m := range first {
		if _, err := f.Handle(m, time.Now()); err != nil {
			return err
		}
	}
	for {
		select {
		case m := <-c.Messages():
			if _, err := f.Handle(m, time.Now()); err != nil {
				return err
			}
		case <-c.Done():
			return fmt.Errorf("dropped: %s", c.Reason())
		case <-stop:
			// Take what is already queued, then stop.
			for {
				select {
				case m := <-c.Messages():
					if _, err := f.Handle(m, time.Now()); err != nil {
						return err
					}
				default:
					return nil
				}
			}
		}
	}
}

func TestJoinFirstMessages(t *testing.T) {
	h := hub.New(hub.Options{Hello: wire.Hello{ConfigName: "east"}})
	_, first := h.Join()
	if len(first) != 2 {
		t.Fatalf("before a snapshot, Join returned %d messages, want hello and status", len(first))
	}
	apply(t, h, insertSession(1), true)
	_, first = h.Join()
	var types []string
	for _, m := range first {
		var env wire.Envelope
		if err := json.Unmarshal(m, &env); err != nil {
			t.Fatal(err)
		}
		types = append(types, env.Type)
	}
	if diff := cmp.Diff([]string{"hello", "status", "snapshot"}, types); diff != "" {
		t.Errorf("first messages mismatch (-want +got):\n%s", diff)
	}
}

// TestJoinDuringUpdates joins browsers while updates flow and checks that
// each one ends with the hub's model, having seen every diff once.
func TestJoinDuringUpdates(t *testing.T) {
	h := hub.New(hub.Options{QueueSize: 100000})
	apply(t, h, insertSession(1), true)

	const updates = 2000
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	feeds := make([]*feed.Feed, 20)
	for i := range feeds {
		feeds[i] = feed.New()
		wg.Add(1)
		go func(f *feed.Feed) {
			defer wg.Done()
			// Stagger the joins across the burst.
			time.Sleep(time.Duration(i) * 200 * time.Microsecond)
			c, first := h.Join()
			errs <- drain(f, first, c, stop)
		}(feeds[i])
	}
	for id := 2; id <= updates; id++ {
		apply(t, h, insertSession(id), false)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("browser: %v", err)
		}
	}
	want := hubTables(t, h)
	for i, f := range feeds {
		if got := string(f.Model().AppendJSON(nil)); got != want {
			t.Errorf("browser %d model differs from the hub's at seq %d (hub %d)", i, f.Seq(), h.Seq())
		}
	}
}

func hubTables(t *testing.T, h *hub.Hub) string {
	t.Helper()
	body, ok := h.APISnapshotJSON()
	if !ok {
		t.Fatal("hub has no snapshot")
	}
	var snap struct {
		Tables json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal(body, &snap); err != nil {
		t.Fatal(err)
	}
	return string(snap.Tables)
}

// TestSlowBrowserDropped checks that a browser that stops reading is dropped
// once its queue is full, while another keeps every diff.
func TestSlowBrowserDropped(t *testing.T) {
	h := hub.New(hub.Options{QueueSize: 8})
	apply(t, h, insertSession(1), true)
	slow, _ := h.Join()
	fast, first := h.Join()
	f := feed.New()
	for _, m := range first {
		if _, err := f.Handle(m, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for id := 2; id <= 50; id++ {
		apply(t, h, insertSession(id), false)
		for len(fast.Messages()) > 0 {
			if _, err := f.Handle(<-fast.Messages(), time.Now()); err != nil {
				t.Fatalf("fast browser: %v", err)
			}
		}
	}
	select {
	case <-slow.Done():
	default:
		t.Fatal("slow browser was not dropped")
	}
	if got := slow.Reason(); got != hub.DropSlow {
		t.Errorf("drop reason = %q, want %q", got, hub.DropSlow)
	}
	select {
	case <-fast.Done():
		t.Fatalf("fast browser was dropped: %s", fast.Reason())
	default:
	}
	if got := f.Model().SupportSessions.Len(); got != 50 {
		t.Errorf("fast browser has %d sessions, want 50", got)
	}
	if got := h.Browsers(); got != 1 {
		t.Errorf("hub has %d browsers, want 1", got)
	}
}

func TestUpdateBeforeSnapshotIgnored(t *testing.T) {
	h := hub.New(hub.Options{})
	apply(t, h, insertSession(1), false)
	if _, ok := h.APISnapshotJSON(); ok {
		t.Error("hub has a snapshot after an update alone")
	}
	if h.Seq() != 0 {
		t.Errorf("seq = %d after an ignored update, want 0", h.Seq())
	}
}

func TestSnapshotKeepsTeamOfPickedUpSession(t *testing.T) {
	h := hub.New(hub.Options{})
	apply(t, h, []byte(`{"type":"model_update","insert":{
		"queue":{"1":{"type":"team","code_name":"tier1","name":"Tier 1"},"2":{"type":"personal","code_name":""}},
		"support_session":{"5":{"lsid":"aa","queue_id":1}}}}`), true)
	apply(t, h, []byte(`{"type":"model_update","update":{"support_session":{"5":{"queue_id":2}}}}`), false)
	// A reconnect delivers a fresh snapshot in which the session already
	// sits in the personal queue.
	apply(t, h, []byte(`{"type":"model_update","insert":{
		"queue":{"1":{"type":"team","code_name":"tier1","name":"Tier 1"},"2":{"type":"personal","code_name":""}},
		"support_session":{"5":{"lsid":"aa","queue_id":2}}}}`), true)
	body, _ := h.APISnapshotJSON()
	var snap struct {
		TeamQueues map[string]int64 `json:"team_queues"`
	}
	if err := json.Unmarshal(body, &snap); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"5": 1}, snap.TeamQueues); diff != "" {
		t.Errorf("team queues mismatch (-want +got):\n%s", diff)
	}
}

func TestClosedSessionsCaptured(t *testing.T) {
	h := hub.New(hub.Options{
		Hello:           wire.Hello{Settings: view.Settings{RepNameFormat: view.NameUsername}},
		ApplianceOffset: func() time.Duration { return time.Hour },
	})
	apply(t, h, []byte(`{"type":"model_update","insert":{
		"queue":{"1":{"type":"team","code_name":"tier1","name":"Tier 1"},"2":{"type":"personal"}},
		"representative":{"7":{"username":"bob","public_display_name":"Bob","queue_id":2}},
		"support_session":{"5":{"lsid":"aa","queue_id":1,"customer_name":"Jane","start_method":"session_key","created_timestamp":100}}}}`), true)
	apply(t, h, []byte(`{"type":"model_update",
		"insert":{"representative_support_session":{"9":{"support_session_id":5,"representative_id":7}}},
		"update":{"support_session":{"5":{"queue_id":2}}}}`), false)
	before := time.Now()
	// The representative link goes in the same message as the session, as
	// the appliance sends it; the capture must see both.
	apply(t, h, []byte(`{"type":"model_update","delete":{"representative_support_session":["9"],"support_session":[5]}}`), false)

	closed := h.Closed()
	if len(closed) != 1 {
		t.Fatalf("hub has %d closed sessions, want 1", len(closed))
	}
	got := closed[0]
	if want := before.Add(time.Hour).Unix(); got.Ended < want || got.Ended > want+5 {
		t.Errorf("Ended = %d, want about %d (relay time plus the appliance offset)", got.Ended, want)
	}
	got.Ended = 0
	want := wire.ClosedSession{
		ID: 5, LSID: "aa", Customer: "Jane", Team: "Tier 1", TeamCode: "tier1",
		StartMethod: "session_key", Reps: []string{"bob"}, Started: 100,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("closed session mismatch (-want +got):\n%s", diff)
	}

	// A joining browser gets the list after the snapshot.
	_, first := h.Join()
	var last wire.Envelope
	if err := json.Unmarshal(first[len(first)-1], &last); err != nil {
		t.Fatal(err)
	}
	if last.Type != wire.TypeClosed || len(last.Closed) != 1 {
		t.Errorf("last first message = %s with %d sessions, want closed with 1", last.Type, len(last.Closed))
	}
}

func TestClosedListBounded(t *testing.T) {
	h := hub.New(hub.Options{})
	apply(t, h, insertSession(1), true)
	for id := 2; id <= hub.ClosedLimit+20; id++ {
		apply(t, h, insertSession(id), false)
		apply(t, h, []byte(fmt.Sprintf(`{"type":"model_update","delete":{"support_session":["%d"]}}`, id)), false)
	}
	closed := h.Closed()
	if len(closed) != hub.ClosedLimit {
		t.Fatalf("hub keeps %d closed sessions, want %d", len(closed), hub.ClosedLimit)
	}
	if closed[0].ID != hub.ClosedLimit+20 {
		t.Errorf("newest closed session = %d, want %d first", closed[0].ID, hub.ClosedLimit+20)
	}
}
