package workload_test

import (
	"bytes"
	"testing"

	"github.com/rtdash/rtdash/bench/workload"
	"github.com/rtdash/rtdash/shared/state"
)

func apply(t *testing.T, m *state.Model, line []byte) state.Result {
	t.Helper()
	msg, err := state.Decode(line)
	if err != nil {
		t.Fatalf("Decode() failed: %v", err)
	}
	return m.Apply(msg)
}

func TestSnapshotAppliesCleanly(t *testing.T) {
	site := workload.NewSite()
	m := state.NewModel()
	res := apply(t, m, site.Snapshot())
	if len(res.Anomalies) != 0 {
		t.Fatalf("snapshot anomalies = %v, want none", res.Anomalies)
	}
	if got := m.Rows(); got != workload.SnapshotRows {
		t.Errorf("snapshot Rows() = %d, want %d", got, workload.SnapshotRows)
	}
	if got := m.Representatives.Len(); got != workload.Reps {
		t.Errorf("representatives = %d, want %d", got, workload.Reps)
	}
	if got := m.SupportSessions.Len(); got != workload.Waiting+workload.InProgress {
		t.Errorf("support sessions = %d, want %d", got, workload.Waiting+workload.InProgress)
	}
}

func TestNextChangesUnitRows(t *testing.T) {
	site := workload.NewSite()
	m := state.NewModel()
	apply(t, m, site.Snapshot())
	for i, units := range []int{1, 5, 25, 1, 250} {
		res := apply(t, m, site.Next(units))
		if len(res.Anomalies) != 0 {
			t.Fatalf("message %d anomalies = %v, want none", i, res.Anomalies)
		}
		if got, want := res.Changes(), units*workload.UnitRows; got != want {
			t.Errorf("message %d Changes() = %d, want %d", i, got, want)
		}
	}
	if got := m.Rows(); got != workload.SnapshotRows {
		t.Errorf("Rows() after the flow = %d, want %d: the flow must keep the site's size", got, workload.SnapshotRows)
	}
	waiting := 0
	for _, s := range m.SupportSessions.All() {
		if q := m.Queues.Get(s.QueueID); q != nil && q.IsTeam() {
			waiting++
		}
	}
	if waiting != workload.Waiting {
		t.Errorf("sessions in team queues = %d, want %d", waiting, workload.Waiting)
	}
}

func TestSitesRepeat(t *testing.T) {
	a, b := workload.NewSite(), workload.NewSite()
	if !bytes.Equal(a.Snapshot(), b.Snapshot()) {
		t.Fatal("two sites have different snapshots")
	}
	for i := range 3 {
		if !bytes.Equal(a.Next(3), b.Next(3)) {
			t.Fatalf("message %d differs between two sites", i)
		}
	}
}
