package wasmui

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// reconnectRecorder records reconnect requests in place of relayClient.
type reconnectRecorder struct {
	conns  []uint64
	causes []error
}

func (r *reconnectRecorder) Reconnect(conn uint64, cause error) {
	r.conns = append(r.conns, conn)
	r.causes = append(r.causes, cause)
}

func newTestDashboard() (*Dashboard, *reconnectRecorder) {
	d := &Dashboard{}
	d.OnInit()
	rec := &reconnectRecorder{}
	d.client = rec
	return d, rec
}

func waitingIDs(b *view.Board) []int64 {
	var ids []int64
	for _, w := range b.Waiting {
		ids = append(ids, w.ID)
	}
	return ids
}

func messages(conn uint64, frames ...frame) event {
	return event{Kind: eventMessages, Conn: conn, Frames: frames}
}

func TestDashboardAppliesBatch(t *testing.T) {
	now := time.Now()
	m := relayMessages{t: t, now: now}
	d, rec := newTestDashboard()

	d.apply(event{Kind: eventOpen, Conn: 1}, now)
	changed := d.apply(messages(1,
		m.hello(120),
		m.status(wire.ApplianceConnected),
		m.snapshot(1, deskRows(now.Unix())),
		m.insertDiff(2, waitingRows("102", now.Unix()-60)),
	), now)

	if changed&feed.ChangedHello == 0 {
		t.Error("apply did not report the hello")
	}
	if diff := cmp.Diff([]int64{100, 102}, waitingIDs(d.board)); diff != "" {
		t.Errorf("waiting sessions mismatch (-want +got):\n%s", diff)
	}
	if got := len(d.board.InProgress); got != 1 {
		t.Errorf("sessions in progress = %d, want 1", got)
	}
	if d.connection.State != StateLive {
		t.Errorf("connection state = %q, want %q", d.connection.State, StateLive)
	}
	if got, want := d.title(), "Service desk – Real-time dashboard"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if len(rec.conns) != 0 {
		t.Errorf("reconnect requested for connections %v, want none", rec.conns)
	}
	if got, want := d.announcement, "Connection: Live. Bob Waiting in Windows Support has waited longer than the 2-minute SLA"; got != want {
		t.Errorf("announcement = %q, want %q", got, want)
	}
}

func TestDashboardAnnouncesBreachOnce(t *testing.T) {
	now := time.Now()
	m := relayMessages{t: t, now: now}
	d, _ := newTestDashboard()
	d.apply(event{Kind: eventOpen, Conn: 1}, now)
	d.apply(messages(1,
		m.hello(120),
		m.status(wire.ApplianceConnected),
		m.snapshot(1, waitingRows("100", now.Unix()-100)),
	), now)
	if d.announcement != "Connection: Live" {
		t.Fatalf("announcement before the breach = %q, want %q", d.announcement, "Connection: Live")
	}

	// The model has no queue rows, so the session belongs to no team.
	d.tick(now.Add(21 * time.Second))
	if got, want := d.announcement, "Customer 100 has waited longer than the 2-minute SLA"; got != want {
		t.Fatalf("announcement after the breach = %q, want %q", got, want)
	}

	d.announcement = ""
	d.tick(now.Add(22 * time.Second))
	if d.announcement != "" {
		t.Errorf("breach announced again: %q", d.announcement)
	}
}

func TestDashboardReconnectsOnSequenceGap(t *testing.T) {
	now := time.Now()
	m := relayMessages{t: t, now: now}
	d, rec := newTestDashboard()
	d.apply(event{Kind: eventOpen, Conn: 1}, now)
	d.apply(messages(1,
		m.hello(0),
		m.status(wire.ApplianceConnected),
		m.snapshot(1, deskRows(now.Unix())),
	), now)

	// Sequence 3 after 1: the model missed a diff.
	d.apply(messages(1,
		m.insertDiff(3, waitingRows("103", now.Unix())),
		m.insertDiff(4, waitingRows("104", now.Unix())),
	), now)
	if diff := cmp.Diff([]uint64{1}, rec.conns); diff != "" {
		t.Fatalf("reconnect requests mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(rec.causes[0], feed.ErrOutOfSequence) {
		t.Errorf("reconnect cause = %v, want feed.ErrOutOfSequence", rec.causes[0])
	}

	// Messages of the dropped connection still queued are ignored.
	d.apply(messages(1, m.snapshot(5, waitingRows("105", now.Unix()))), now)
	if diff := cmp.Diff([]int64{100}, waitingIDs(d.board)); diff != "" {
		t.Errorf("waiting sessions after the gap mismatch (-want +got):\n%s", diff)
	}
	if d.connection.State == StateLive {
		t.Error("connection still live after the sequence gap")
	}

	d.apply(event{Kind: eventClosed, Conn: 1, Err: rec.causes[0], RetryIn: time.Second}, now)
	if d.connection.State != StateReconnecting {
		t.Errorf("connection state after close = %q, want %q", d.connection.State, StateReconnecting)
	}

	d.apply(event{Kind: eventOpen, Conn: 2}, now)
	d.apply(messages(2,
		m.hello(0),
		m.status(wire.ApplianceConnected),
		m.snapshot(7, waitingRows("106", now.Unix())),
	), now)
	if diff := cmp.Diff([]int64{106}, waitingIDs(d.board)); diff != "" {
		t.Errorf("waiting sessions after the resync mismatch (-want +got):\n%s", diff)
	}
	if d.connection.State != StateLive {
		t.Errorf("connection state after the resync = %q, want %q", d.connection.State, StateLive)
	}
	if len(rec.conns) != 1 {
		t.Errorf("reconnect requests = %v, want only the first", rec.conns)
	}
}

func TestDashboardTracksTransport(t *testing.T) {
	now := time.Now()
	d, _ := newTestDashboard()
	if d.transport != "" {
		t.Errorf("transport before any connection = %q, want none", d.transport)
	}

	d.apply(event{Kind: eventOpen, Conn: 3, Transport: TransportStream}, now)
	if d.transport != TransportStream {
		t.Errorf("transport after a stream opened = %q, want %q", d.transport, TransportStream)
	}
	// The header keeps the last transport while the page reconnects.
	d.apply(event{Kind: eventClosed, Conn: 3, Transport: TransportStream, Err: errSocketBack}, now)
	if d.transport != TransportStream {
		t.Errorf("transport after the stream closed = %q, want %q", d.transport, TransportStream)
	}
	d.apply(event{Kind: eventOpen, Conn: 4, Transport: TransportWebSocket}, now)
	if d.transport != TransportWebSocket {
		t.Errorf("transport after a websocket opened = %q, want %q", d.transport, TransportWebSocket)
	}
}

func TestDashboardAcknowledgesBatches(t *testing.T) {
	now := time.Now()
	m := relayMessages{t: t, now: now}
	d, _ := newTestDashboard()
	ack := make(chan struct{}, 1)

	ev := messages(1, m.hello(0))
	ev.ack = ack
	d.apply(ev, now)
	select {
	case <-ack:
	default:
		t.Error("batch not acknowledged")
	}

	// Batches of a dropped connection are acknowledged too, or the client
	// would wait for them.
	d.abandoned = 1
	ev.ack = ack
	d.apply(ev, now)
	select {
	case <-ack:
	default:
		t.Error("batch of a dropped connection not acknowledged")
	}
}

func TestBreachAnnouncement(t *testing.T) {
	named := func(names ...string) []*view.Waiting {
		var fresh []*view.Waiting
		for _, n := range names {
			fresh = append(fresh, &view.Waiting{Customer: n, Team: "Windows", SLA: 300})
		}
		return fresh
	}
	tests := []struct {
		name  string
		fresh []*view.Waiting
		want  string
	}{
		{"none", nil, ""},
		{"one with team", named("Bob"), "Bob in Windows has waited longer than the 5-minute SLA"},
		{"one without names", []*view.Waiting{{SLA: 90}}, "A customer has waited longer than the 1.5-minute SLA"},
		{"fraction of a minute", []*view.Waiting{{Customer: "Ann", SLA: 3}}, "Ann has waited longer than the 0.05-minute SLA"},
		{"three", named("A", "B", "C"),
			"A in Windows has waited longer than the 5-minute SLA. " +
				"B in Windows has waited longer than the 5-minute SLA. " +
				"C in Windows has waited longer than the 5-minute SLA"},
		{"four", named("A", "B", "C", "D"),
			"A in Windows has waited longer than the 5-minute SLA. " +
				"B in Windows has waited longer than the 5-minute SLA. " +
				"C in Windows has waited longer than the 5-minute SLA. " +
				"1 more waiting session has exceeded their SLA"},
		{"many", named("A", "B", "C", "D", "E", "F"),
			"A in Windows has waited longer than the 5-minute SLA. " +
				"B in Windows has waited longer than the 5-minute SLA. " +
				"C in Windows has waited longer than the 5-minute SLA. " +
				"3 more waiting sessions have exceeded their SLA"},
	}
	for _, tt := range tests {
		if got := breachAnnouncement(tt.fresh); got != tt.want {
			t.Errorf("%s: breachAnnouncement = %q, want %q", tt.name, got, tt.want)
		}
	}
}
