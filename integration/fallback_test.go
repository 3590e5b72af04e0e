package integration_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rtdash/rtdash/shared/wire"
)

// envelopeLog collects the envelopes that one transport delivers, in
// order, leaving out heartbeats, whose number depends on timing.
type envelopeLog struct {
	name string

	mu        sync.Mutex
	envelopes []wire.Envelope
	err       error // why the connection ended
}

func (l *envelopeLog) add(data []byte) error {
	var env wire.Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("decoding %s message %q: %w", l.name, data, err)
	}
	if env.Type == wire.TypeHeartbeat {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.envelopes = append(l.envelopes, env)
	return nil
}

func (l *envelopeLog) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

// upTo returns the envelopes up to the snapshot or diff at seq, and
// whether that one arrived. It fails the test if the connection ended.
func (l *envelopeLog) upTo(t *testing.T, seq uint64) ([]wire.Envelope, bool) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil && !errors.Is(l.err, context.Canceled) {
		t.Fatalf("%s connection ended: %v", l.name, l.err)
	}
	for i, env := range l.envelopes {
		if env.Seq == seq && (env.Type == wire.TypeSnapshot || env.Type == wire.TypeDiff) {
			return append([]wire.Envelope(nil), l.envelopes[:i+1]...), true
		}
	}
	return nil, false
}

// snapshotSeq returns the sequence number of the first snapshot, 0 before
// it arrives.
func (l *envelopeLog) snapshotSeq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, env := range l.envelopes {
		if env.Type == wire.TypeSnapshot {
			return env.Seq
		}
	}
	return 0
}

// readSocket collects the relay's websocket messages until ctx ends.
func readSocket(t *testing.T, ctx context.Context, url string) *envelopeLog {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dialing %s: %v", url, err)
	}
	conn.SetReadLimit(64 << 20)
	l := &envelopeLog{name: "websocket"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_, data, err := conn.Read(ctx)
			if err == nil {
				err = l.add(data)
			}
			if err != nil {
				l.fail(err)
				return
			}
		}
	}()
	t.Cleanup(func() {
		conn.CloseNow()
		<-done
	})
	return l
}

// readStream collects the events of the relay's event stream until ctx
// ends. Each event carries one envelope in one data line.
func readStream(t *testing.T, ctx context.Context, url string) *envelopeLog {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}

	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		t.Fatalf("GET %s: HTTP %d, want 200", url, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		resp.Body.Close()
		t.Fatalf("GET %s: Content-Type %q, want text/event-stream", url, ct)
	}

	l := &envelopeLog{name: "event stream"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		lines := bufio.NewScanner(resp.Body)
		lines.Buffer(nil, 64<<20)
		for lines.Scan() {
			data, ok := strings.CutPrefix(lines.Text(), "data: ")
			if !ok {
				continue // the retry field and the blank lines between events
			}
			if err := l.add([]byte(data)); err != nil {
				l.fail(err)
				return
			}
		}
		l.fail(errors.Join(lines.Err(), ctx.Err(), errors.New("event stream ended")))
	}()
	t.Cleanup(func() {
		resp.Body.Close()
		<-done
	})
	return l
}

// TestStreamMatchesWebsocket reads the relay's websocket and its event
// stream side by side while customers come, are helped and leave. Both
// must deliver the same hello, status and snapshot, then the same diffs
// with the same sequence numbers and the same closed sessions, in the same
// order.
func TestStreamMatchesWebsocket(t *testing.T) {
	s := quickSite(t, nil)
	ctx, cancel := contextWithCancel()
	defer cancel()

	socket := readSocket(t, ctx, "ws"+strings.TrimPrefix(s.relayURL, "http")+"/api/v1/ws")
	stream := readStream(t, ctx, s.relayURL+"/api/v1/stream")
	waitFor(t, 10*time.Second, "snapshots over both transports", func() bool {
		return socket.snapshotSeq() > 0 && stream.snapshotSeq() > 0
	})
	start := socket.snapshotSeq()
	if got := stream.snapshotSeq(); got != start {
		t.Fatalf("event stream snapshot at sequence %d, websocket snapshot at %d; the site changed between the two connections", got, start)
	}

	id := addCustomer(t, s, "Twin Customer")
	if err := s.sim.Pickup(id, s.sim.Reps()[0].ID); err != nil {
		t.Fatalf("pickup of session %d: %v", id, err)
	}
	s.sim.Flush()
	if err := s.sim.EndSession(id); err != nil {
		t.Fatalf("ending session %d: %v", id, err)
	}
	s.sim.Flush()
	// A last diff after the session's end, so that the closed sessions
	// message it causes comes before the point of comparison.
	addCustomer(t, s, "Last Customer")

	var fromSocket, fromStream []wire.Envelope
	var last uint64
	waitFor(t, 20*time.Second, "the same last diff over both transports", func() bool {
		last = s.snapshot(t).Seq
		var socketOK, streamOK bool
		fromSocket, socketOK = socket.upTo(t, last)
		fromStream, streamOK = stream.upTo(t, last)
		return last >= start+4 && socketOK && streamOK
	})

	// Time is the relay's clock when it sent the hello and the status of
	// each connection, so it differs between them.
	ignoreTime := cmpopts.IgnoreFields(wire.Envelope{}, "Time")
	if diff := cmp.Diff(fromSocket, fromStream, ignoreTime); diff != "" {
		t.Errorf("messages mismatch (-websocket +event stream):\n%s", diff)
	}

	var types []string
	var seqs []uint64
	for _, env := range fromStream {
		types = append(types, env.Type)
		if env.Type == wire.TypeDiff {
			seqs = append(seqs, env.Seq)
		}
	}
	if len(types) < 3 || types[0] != wire.TypeHello || types[1] != wire.TypeStatus || types[2] != wire.TypeSnapshot {
		t.Errorf("event stream message types = %v, want hello, status and snapshot first", types)
	}
	if !strings.Contains(strings.Join(types, " "), wire.TypeClosed) {
		t.Errorf("event stream message types = %v, want a closed sessions message", types)
	}
	for i, seq := range seqs {
		if want := start + 1 + uint64(i); seq != want {
			t.Errorf("diff %d over the event stream has sequence %d, want %d", i, seq, want)
		}
	}
	if len(seqs) > 0 && seqs[len(seqs)-1] != last {
		t.Errorf("last diff over the event stream has sequence %d, want %d", seqs[len(seqs)-1], last)
	}
}
