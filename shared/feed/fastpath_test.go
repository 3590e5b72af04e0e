package feed

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/wire"
)

func TestParseDiffMatchesJSON(t *testing.T) {
	tests := []string{
		`{"type":"diff","seq":7,"time":1733239000123,"diff":{"type":"model_update","insert":{"queue":{"3":{"name":"Tech"}}}}}`,
		`{"type":"diff","seq":18446744073709551615,"time":-5,"diff":{"type":"truncate_model"}}` + "\n",
		`{"type":"diff","seq":1,"time":2,"diff":{"type":"model_update","update":{"support_session":{"5":{"customer_name":"a,\"time\":"}}}}}`,
	}
	for _, data := range tests {
		seq, sent, diff, ok := parseDiff([]byte(data))
		if !ok {
			t.Errorf("parseDiff(%s) rejected a relay diff", data)
			continue
		}
		var want wire.Envelope
		if err := json.Unmarshal([]byte(data), &want); err != nil {
			t.Fatal(err)
		}
		got := wire.Envelope{Type: wire.TypeDiff, Seq: seq, Time: sent, Diff: diff}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parseDiff(%s) mismatch (-json +fast):\n%s", data, diff)
		}
	}
}

// TestHandleTruncatedDiff checks that a diff cut short is an error, not a
// lost change: the fast path hands it to the JSON decoder, which rejects it.
func TestHandleTruncatedDiff(t *testing.T) {
	f := New()
	f.synced, f.seq = true, 1
	_, err := f.Handle([]byte(`{"type":"diff","seq":2,"time":1,"diff":{"type":"model_update"}`), time.Now())
	if err == nil {
		t.Error("a truncated diff envelope was accepted")
	}
	if f.Seq() != 1 {
		t.Errorf("Seq() = %d after a truncated diff, want 1", f.Seq())
	}
}

func TestParseDiffRejectsOtherForms(t *testing.T) {
	for _, data := range []string{
		`{"seq":7,"type":"diff","time":1,"diff":{}}`,
		`{"type":"diff","seq":x,"time":1,"diff":{}}`,
		`{"type":"diff","seq":1,"diff":{}}`,
		`{"type":"diff","seq":1,"time":1,"diff":[]}`,
		`{"type":"heartbeat","seq":1,"time":1}`,
		``,
	} {
		if _, _, _, ok := parseDiff([]byte(data)); ok {
			t.Errorf("parseDiff(%q) accepted a form the relay never writes", data)
		}
	}
}

func TestSnapshotFastPathMatchesJSON(t *testing.T) {
	tables := `{"queue":{"1":{"type":"team","code_name":"t1"},"2":{"type":"personal"}},"support_session":{"5":{"lsid":"aa","queue_id":2}}}`
	for _, tail := range []string{`,"team_queues":{"5":1}}}`, `}}`, "}}\n"} {
		data := []byte(`{"type":"snapshot","seq":9,"time":100,"snapshot":{"tables":` + tables + tail)
		fast := New()
		ok := false
		if _, ok = fast.loadSnapshotFast(data); !ok {
			t.Errorf("fast path rejected the relay's form ending %q", tail)
			continue
		}
		slow := New()
		var env wire.Envelope
		if err := json.Unmarshal(data, &env); err != nil {
			t.Fatal(err)
		}
		if _, err := slow.loadSnapshot(&env); err != nil {
			t.Fatal(err)
		}
		if got, want := string(fast.Model().AppendJSON(nil)), string(slow.Model().AppendJSON(nil)); got != want {
			t.Errorf("fast model %s, want %s", got, want)
		}
		if diff := cmp.Diff(slow.Model().TeamQueues(), fast.Model().TeamQueues()); diff != "" {
			t.Errorf("team queues mismatch (-slow +fast):\n%s", diff)
		}
		if fast.Seq() != 9 || !fast.Synced() {
			t.Errorf("fast path left seq %d, synced %t; want 9, true", fast.Seq(), fast.Synced())
		}
	}
}

func TestSnapshotFastPathFallsBack(t *testing.T) {
	for _, data := range []string{
		`{"type":"snapshot","seq":9,"time":100,"snapshot":{"tables":{"queue":{}},"extra":1}}`,
		`{"type":"snapshot","seq":9,"time":100,"snapshot":{"tables":{"queue":`,
		`{"type":"snapshot","time":100,"seq":9,"snapshot":{"tables":{}}}`,
	} {
		f := New()
		if _, ok := f.loadSnapshotFast([]byte(data)); ok {
			t.Errorf("fast path accepted %s", data)
		}
		if f.Synced() {
			t.Errorf("feed synced after a rejected snapshot %s", data)
		}
	}
	// Handle still takes a valid snapshot in another key order.
	f := New()
	if _, err := f.Handle([]byte(`{"time":100,"seq":4,"type":"snapshot","snapshot":{"tables":{}}}`), time.Now()); err != nil || !f.Synced() {
		t.Errorf("Handle of a reordered snapshot: %v, synced %t", err, f.Synced())
	}
}
