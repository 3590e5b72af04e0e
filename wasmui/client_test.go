//go:build !js

package wasmui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
)

// startRelay serves a websocket on loopback and runs serve for every
// connection, numbered from 1. The connection closes when serve returns.
// It returns the ws:// address.
func startRelay(t *testing.T, serve func(ctx context.Context, conn *websocket.Conn, n int)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	count := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Errorf("accepting the websocket: %v", err)
			return
		}
		defer conn.CloseNow()
		mu.Lock()
		count++
		n := count
		mu.Unlock()
		serve(ctx, conn, n)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(cancel) // runs first, so that every serve returns before Close waits
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/ws"
}

// sendText writes each message and reports whether all were written. A
// failed write is no test failure by itself: some tests close the
// connection from the client side, and the others notice missing messages.
func sendText(ctx context.Context, conn *websocket.Conn, messages ...string) bool {
	for _, m := range messages {
		if err := conn.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			return false
		}
	}
	return true
}

// holdOpen waits until the peer closes the connection or the test ends.
func holdOpen(ctx context.Context, conn *websocket.Conn) {
	<-conn.CloseRead(ctx).Done()
}

type testClient struct {
	*relayClient
	events chan event
}

// startClient runs a relay client against the websocket at url until the
// test ends. Events go to a channel; the test acknowledges batches itself
// when autoAck is false.
func startClient(t *testing.T, url string, autoAck bool, configure func(*relayClient)) *testClient {
	t.Helper()
	tc := &testClient{events: make(chan event, 1000)}
	tc.relayClient = newRelayClient(url, "", func(ev event) {
		if autoAck {
			ev.Done()
		}
		tc.events <- ev
	})
	tc.Backoff = backoff{Min: 10 * time.Millisecond, Max: 40 * time.Millisecond}
	if configure != nil {
		configure(tc.relayClient)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tc.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return tc
}

// next returns the next event, failing the test after timeout.
func (tc *testClient) next(t *testing.T, timeout time.Duration) event {
	t.Helper()
	select {
	case ev := <-tc.events:
		return ev
	case <-time.After(timeout):
		t.Fatalf("no client event within %v", timeout)
		return event{}
	}
}

// quiet fails the test if an event arrives within d.
func (tc *testClient) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case ev := <-tc.events:
		t.Fatalf("unexpected event %s", describeEvent(ev))
	case <-time.After(d):
	}
}

// describeEvent summarises an event for comparisons: kind, connection and
// the messages of a batch.
func describeEvent(ev event) string {
	switch ev.Kind {
	case eventOpen:
		return fmt.Sprintf("open %d", ev.Conn)
	case eventClosed:
		return fmt.Sprintf("closed %d", ev.Conn)
	case eventMessages:
		data := make([]string, len(ev.Frames))
		for i, f := range ev.Frames {
			data[i] = string(f.Data)
		}
		return fmt.Sprintf("messages %d %v", ev.Conn, data)
	}
	return fmt.Sprintf("kind %d", ev.Kind)
}

func TestClientBatchesBurst(t *testing.T) {
	const burst = 300
	url := startRelay(t, func(ctx context.Context, conn *websocket.Conn, n int) {
		for i := range burst {
			if !sendText(ctx, conn, fmt.Sprintf("m%d", i)) {
				return
			}
		}
		holdOpen(ctx, conn)
	})
	tc := startClient(t, url, true, nil)

	if ev := tc.next(t, 5*time.Second); ev.Kind != eventOpen {
		t.Fatalf("first event = %s, want open 1", describeEvent(ev))
	}
	var got []string
	batches := 0
	for len(got) < burst {
		ev := tc.next(t, 5*time.Second)
		if ev.Kind != eventMessages {
			t.Fatalf("event %s before all %d messages arrived", describeEvent(ev), burst)
		}
		batches++
		for _, f := range ev.Frames {
			got = append(got, string(f.Data))
			if f.Received.IsZero() {
				t.Errorf("message %s has no receive time", f.Data)
			}
		}
	}

	want := make([]string, burst)
	for i := range want {
		want[i] = fmt.Sprintf("m%d", i)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}
	// One message a batch would mean no batching; a loopback burst takes a
	// few flush intervals at most.
	if batches > 10 {
		t.Errorf("burst of %d messages came in %d batches, want at most 10", burst, batches)
	}
}

func TestClientWaitsForUI(t *testing.T) {
	release := make(chan struct{})
	url := startRelay(t, func(ctx context.Context, conn *websocket.Conn, n int) {
		if !sendText(ctx, conn, "first") {
			return
		}
		select {
		case <-release:
		case <-ctx.Done():
			return
		}
		for i := range 20 {
			if !sendText(ctx, conn, fmt.Sprintf("later%d", i)) {
				return
			}
		}
		holdOpen(ctx, conn)
	})
	tc := startClient(t, url, false, nil)

	tc.next(t, 5*time.Second) // open
	first := tc.next(t, 5*time.Second)
	if diff := cmp.Diff("messages 1 [first]", describeEvent(first)); diff != "" {
		t.Fatalf("first batch mismatch (-want +got):\n%s", diff)
	}

	close(release)
	// Several flush intervals pass while the UI holds the first batch.
	tc.quiet(t, 5*flushInterval)

	first.Done()
	second := tc.next(t, 5*time.Second)
	if len(second.Frames) != 20 {
		t.Errorf("batch after the acknowledgement has %d messages, want all 20: %s",
			len(second.Frames), describeEvent(second))
	}
}

func TestClientReconnectsAfterClose(t *testing.T) {
	url := startRelay(t, func(ctx context.Context, conn *websocket.Conn, n int) {
		if n == 1 {
			sendText(ctx, conn, "one")
			conn.Close(websocket.StatusGoingAway, "relay restarting")
			return
		}
		if sendText(ctx, conn, "two") {
			holdOpen(ctx, conn)
		}
	})
	tc := startClient(t, url, true, nil)

	var got []string
	var closed event
	for range 5 {
		ev := tc.next(t, 5*time.Second)
		got = append(got, describeEvent(ev))
		if ev.Kind == eventClosed {
			closed = ev
		}
	}
	want := []string{"open 1", "messages 1 [one]", "closed 1", "open 2", "messages 2 [two]"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events mismatch (-want +got):\n%s", diff)
	}
	if closed.Err == nil {
		t.Error("closed event has no error")
	}
	if closed.RetryIn < 5*time.Millisecond || closed.RetryIn > 10*time.Millisecond {
		t.Errorf("first retry in %v, want between 5ms and 10ms", closed.RetryIn)
	}
}

func TestClientReconnectOnRequest(t *testing.T) {
	url := startRelay(t, func(ctx context.Context, conn *websocket.Conn, n int) {
		if sendText(ctx, conn, fmt.Sprintf("hello %d", n)) {
			holdOpen(ctx, conn)
		}
	})
	tc := startClient(t, url, true, nil)
	tc.next(t, 5*time.Second) // open 1
	tc.next(t, 5*time.Second) // messages 1

	gap := errors.New("sequence gap")
	tc.Reconnect(1, gap)

	closed := tc.next(t, 5*time.Second)
	if closed.Kind != eventClosed || closed.Conn != 1 {
		t.Fatalf("event after Reconnect = %s, want closed 1", describeEvent(closed))
	}
	if !errors.Is(closed.Err, gap) {
		t.Errorf("closed error = %v, want the cause given to Reconnect", closed.Err)
	}
	if ev := tc.next(t, 5*time.Second); describeEvent(ev) != "open 2" {
		t.Fatalf("event = %s, want open 2", describeEvent(ev))
	}
	if ev := tc.next(t, 5*time.Second); describeEvent(ev) != "messages 2 [hello 2]" {
		t.Fatalf("event = %s, want messages 2 [hello 2]", describeEvent(ev))
	}

	// A late request about connection 1 must leave connection 2 alone.
	tc.Reconnect(1, gap)
	tc.quiet(t, 300*time.Millisecond)
}

func TestClientReconnectsWhenSilent(t *testing.T) {
	url := startRelay(t, func(ctx context.Context, conn *websocket.Conn, n int) {
		if sendText(ctx, conn, `{"type":"hello","time":1,"hello":{"heartbeat_ms":50}}`) {
			holdOpen(ctx, conn)
		}
	})
	tc := startClient(t, url, true, nil)
	tc.next(t, 5*time.Second) // open 1
	tc.next(t, 5*time.Second) // the hello

	start := time.Now()
	closed := tc.next(t, 5*time.Second)
	if closed.Kind != eventClosed {
		t.Fatalf("event = %s, want closed 1", describeEvent(closed))
	}
	if !errors.Is(closed.Err, errRelaySilent) {
		t.Errorf("closed error = %v, want errRelaySilent", closed.Err)
	}
	// Three 50 ms heartbeats, not the 30 s default.
	if waited := time.Since(start); waited > 3*time.Second {
		t.Errorf("silence noticed after %v, want about 150ms", waited)
	}
}

func TestClientDropsConnectionWhenUIFallsBehind(t *testing.T) {
	url := startRelay(t, func(ctx context.Context, conn *websocket.Conn, n int) {
		for i := range 20 {
			if !sendText(ctx, conn, fmt.Sprintf("m%d", i)) {
				return
			}
		}
		holdOpen(ctx, conn)
	})
	tc := startClient(t, url, false, func(c *relayClient) { c.MaxPending = 5 })
	tc.next(t, 5*time.Second) // open 1

	for {
		ev := tc.next(t, 5*time.Second)
		if ev.Kind == eventMessages {
			continue // never acknowledged
		}
		if ev.Kind != eventClosed {
			t.Fatalf("event = %s, want messages or closed", describeEvent(ev))
		}
		if !errors.Is(ev.Err, errFellBehind) {
			t.Errorf("closed error = %v, want errFellBehind", ev.Err)
		}
		return
	}
}

func TestHelloHeartbeat(t *testing.T) {
	tests := []struct {
		name string
		data string
		want time.Duration
	}{
		{"hello", `{"type":"hello","hello":{"heartbeat_ms":15000}}`, 15 * time.Second},
		{"hello without interval", `{"type":"hello","hello":{}}`, 0},
		{"hello without content", `{"type":"hello"}`, 0},
		{"status", `{"type":"status","hello":{"heartbeat_ms":15000}}`, 0},
		{"not JSON", `hello`, 0},
	}
	for _, tt := range tests {
		if got := helloHeartbeat([]byte(tt.data)); got != tt.want {
			t.Errorf("%s: helloHeartbeat = %v, want %v", tt.name, got, tt.want)
		}
	}
}
