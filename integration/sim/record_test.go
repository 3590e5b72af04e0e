package sim_test

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

// lockedBuffer is a bytes.Buffer safe for the recorder's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recordSession records one socket: the handshake, the snapshot and three
// updates gap apart. It returns the trace and the lines after the
// handshake.
func recordSession(t *testing.T, gap time.Duration, change func(*sim.Config)) ([]sim.RecordedFrame, []string) {
	t.Helper()
	var trace lockedBuffer
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Record = &trace
		if change != nil {
			change(cfg)
		}
	})
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, s) + `"}}` + "\n" +
		`{"type":"subscribe","tables":"all"}` + "\n")
	c.mustLine()
	c.mustLine()
	lines := []string{c.mustLine()}
	for i := range 3 {
		if i > 0 {
			time.Sleep(gap)
		}
		s.AddCustomer(sim.Customer{})
		s.Flush()
		lines = append(lines, c.mustLine())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	frames, err := sim.ReadTrace(strings.NewReader(trace.String()))
	if err != nil {
		t.Fatalf("ReadTrace: %v", err)
	}
	return frames, lines
}

func TestRecordWritesEveryFrame(t *testing.T) {
	frames, lines := recordSession(t, 10*time.Millisecond, func(cfg *sim.Config) { cfg.Protocol.SplitFrameSize = 100 })
	var stream strings.Builder
	for i, f := range frames {
		if f.Conn != 1 || !f.Binary {
			t.Errorf("frame %d: conn %d binary %v, want conn 1 and binary", i, f.Conn, f.Binary)
		}
		if i > 0 && f.T < frames[i-1].T {
			t.Errorf("frame %d: time %d before the previous %d", i, f.T, frames[i-1].T)
		}
		data, err := f.Data()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 100 {
			t.Errorf("frame %d has %d bytes, want at most the split size 100", i, len(data))
		}
		stream.Write(data)
	}
	want := `{"success":true,"type":"authenticate_response"}` + "\n" + `{"success":true,"type":"subscribe_response"}` + "\n" +
		strings.Join(lines, "\n") + "\n"
	if stream.String() != want {
		t.Errorf("recorded stream differs from the received lines:\n got %.300q\nwant %.300q", stream.String(), want)
	}
}

func TestReplayServesRecordedTrace(t *testing.T) {
	const gap = 300 * time.Millisecond
	frames, lines := recordSession(t, gap, nil)
	const speed = 2
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Replay = &sim.ReplayConfig{Frames: frames, Speed: speed}
	})
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, s) + `"}}` + "\n" +
		`{"type":"subscribe","tables":"all"}` + "\n")
	for _, reply := range []string{"authenticate_response", "subscribe_response"} {
		if m := c.mustMessage(); m.Type != reply || m.Success == nil || !*m.Success {
			t.Fatalf("handshake reply = %+v, want %s success", m, reply)
		}
	}
	var got []string
	started := time.Now()
	for range lines {
		got = append(got, c.mustLine())
	}
	elapsed := time.Since(started)
	if !slices.Equal(got, lines) {
		t.Errorf("replayed lines differ from the recording:\n got %.300q\nwant %.300q", got, lines)
	}
	if want := 2 * gap / speed; elapsed < want-50*time.Millisecond || elapsed > 2*gap {
		t.Errorf("replay of gaps %v at speed %d took %v, want about %v", 2*gap, speed, elapsed, want)
	}

	// Live changes do not reach a replaying socket.
	s.AddCustomer(sim.Customer{})
	s.Flush()
	s.DropConnections()
	if line, err := c.line(); err == nil {
		t.Errorf("live line %q reached the replaying socket", line)
	}
}

func TestReplayRejectsEmptyTrace(t *testing.T) {
	_, err := sim.New(sim.Config{ClientID: "id", ClientSecret: "secret", Replay: &sim.ReplayConfig{Conn: 3}})
	if err == nil || !strings.Contains(err.Error(), "no frames of socket 3") {
		t.Errorf("New with an empty trace: err = %v, want no frames of socket 3", err)
	}
	if _, err := sim.ReadTrace(strings.NewReader("{\"t\":1}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ReadTrace of a bad line: err = %v, want an error naming line 2", err)
	}
}

// closableWriter counts the writes that arrive after close is called.
type closableWriter struct {
	mu         sync.Mutex
	closed     bool
	lateWrites int
}

func (w *closableWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		w.lateWrites++
	}
	return len(p), nil
}

func (w *closableWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}

func (w *closableWriter) late() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lateWrites
}

// TestRecordStopsBeforeCloseReturns queues updates that the client does
// not read and closes the simulator while they are being written. Nothing
// may reach Config.Record once Close has returned.
func TestRecordStopsBeforeCloseReturns(t *testing.T) {
	for round := range 5 {
		record := &closableWriter{}
		s, _ := startSim(t, func(cfg *sim.Config) {
			cfg.Record = record
			cfg.Protocol.SplitFrameSize = 64
		})
		c := mustDialState(t, s)
		c.handshake(token(t, s))
		for range 20 {
			s.AddCustomer(sim.Customer{})
			s.Flush()
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		record.close()
		time.Sleep(20 * time.Millisecond)
		if late := record.late(); late > 0 {
			t.Fatalf("round %d: %d frames were recorded after Close returned", round, late)
		}
	}
}
