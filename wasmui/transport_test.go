//go:build !js

package wasmui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
)

func TestTransportChoice(t *testing.T) {
	// ended is one call of transportChoice.Ended, or a successful probe.
	type ended struct {
		transport         Transport
		opened, delivered bool
		probe             bool
	}
	var (
		socketFailed    = ended{transport: TransportWebSocket}
		socketEmpty     = ended{transport: TransportWebSocket, opened: true}
		socketDelivered = ended{transport: TransportWebSocket, opened: true, delivered: true}
		streamFailed    = ended{transport: TransportStream}
		streamEnded     = ended{transport: TransportStream, opened: true, delivered: true}
		streamEmpty     = ended{transport: TransportStream, opened: true}
		probeSucceeded  = ended{probe: true}
	)
	tests := []struct {
		name  string
		steps []ended
		want  Transport
	}{
		{"first connection", nil, TransportWebSocket},
		{"one websocket failure", []ended{socketFailed}, TransportWebSocket},
		{"two websocket failures", []ended{socketFailed, socketFailed}, TransportStream},
		{"websocket closed before a message", []ended{socketEmpty, socketFailed}, TransportStream},
		{"failures apart", []ended{socketFailed, socketDelivered, socketFailed}, TransportWebSocket},
		{"websocket that delivered and closed", []ended{socketDelivered, socketDelivered}, TransportWebSocket},
		{"event stream ended", []ended{socketFailed, socketFailed, streamEnded}, TransportStream},
		{"event stream ended before a message", []ended{socketFailed, socketFailed, streamEmpty}, TransportStream},
		{"event stream never opened", []ended{socketFailed, socketFailed, streamFailed}, TransportWebSocket},
		{"websocket fails again after the stream failed",
			[]ended{socketFailed, socketFailed, streamFailed, socketFailed}, TransportWebSocket},
		{"second fallback", []ended{socketFailed, socketFailed, streamFailed, socketFailed, socketFailed}, TransportStream},
		{"probe succeeded", []ended{socketFailed, socketFailed, streamEnded, probeSucceeded}, TransportWebSocket},
		{"probe resets the failures",
			[]ended{socketFailed, socketFailed, probeSucceeded, socketFailed}, TransportWebSocket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := transportChoice{FallbackAfter: 2}
			for _, step := range tt.steps {
				if step.probe {
					c.SocketWorks()
					continue
				}
				c.Ended(step.transport, step.opened, step.delivered)
			}
			if got := c.Next(); got != tt.want {
				t.Errorf("Next = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamPath(t *testing.T) {
	tests := []struct {
		prefix, want string
	}{
		{"/", "/api/v1/stream"},
		{"", "/api/v1/stream"},
		{"/dash/", "/dash/api/v1/stream"},
	}
	for _, tt := range tests {
		if got := streamPath(tt.prefix); got != tt.want {
			t.Errorf("streamPath(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

// testStreamConn reads a server-sent event stream with net/http in place of
// the browser's EventSource, which native tests do not have. It keeps the
// data lines of each event and ignores the other fields.
type testStreamConn struct {
	ctx    context.Context
	cancel context.CancelFunc
	events chan []byte
	// err is why the stream ended, set before events is closed.
	err error
}

func dialTestStream(ctx context.Context, url string) (relayConn, error) {
	// The request outlives ctx, which bounds the opening only.
	streamCtx, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, cancel)
	req, err := http.NewRequestWithContext(streamCtx, http.MethodGet, url, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if !stop() {
		err = errors.Join(ctx.Err(), err)
	}
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("event stream %s: HTTP %d", url, resp.StatusCode)
	}
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		cancel()
		return nil, err
	}
	c := &testStreamConn{ctx: streamCtx, cancel: cancel, events: make(chan []byte)}
	go c.scan(resp.Body)
	return c, nil
}

func (c *testStreamConn) scan(body io.ReadCloser) {
	defer close(c.events)
	defer body.Close()
	lines := bufio.NewScanner(body)
	lines.Buffer(nil, 1<<20)
	var data []string
	for lines.Scan() {
		line := lines.Text()
		if value, ok := strings.CutPrefix(line, "data:"); ok {
			data = append(data, strings.TrimPrefix(value, " "))
			continue
		}
		if line != "" || data == nil {
			continue
		}
		select {
		case c.events <- []byte(strings.Join(data, "\n")):
		case <-c.ctx.Done():
			c.err = c.ctx.Err()
			return
		}
		data = nil
	}
	c.err = lines.Err()
	if c.err == nil {
		c.err = io.EOF
	}
}

func (c *testStreamConn) receive(ctx context.Context) ([]byte, error) {
	select {
	case data, ok := <-c.events:
		if !ok {
			return nil, c.err
		}
		return data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *testStreamConn) close() { c.cancel() }

// streamWriter writes server-sent events to one stream connection.
type streamWriter struct {
	w http.ResponseWriter
}

// send writes each message as one event and flushes, and reports whether
// all were written.
func (s streamWriter) send(messages ...string) bool {
	for _, m := range messages {
		if _, err := fmt.Fprintf(s.w, "data: %s\n\n", m); err != nil {
			return false
		}
	}
	s.w.(http.Flusher).Flush()
	return true
}

// dualRelay is a relay stand-in with both transports. An endpoint whose
// serve function is nil responds with 400, as the relay does behind a proxy
// that strips the websocket upgrade. socketAttempts and streamAttempts
// count the requests to each endpoint.
type dualRelay struct {
	socket func(ctx context.Context, conn *websocket.Conn, n int)
	stream func(ctx context.Context, w streamWriter, n int)

	socketAttempts, streamAttempts atomic.Int32
	mu                             sync.Mutex
	socketBroken                   bool
}

// setSocketBroken makes the websocket endpoint respond with 400 while
// broken is true.
func (d *dualRelay) setSocketBroken(broken bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.socketBroken = broken
}

// start serves the stand-in on loopback until the test ends and returns a
// client configured for it, with a native event stream reader.
func (d *dualRelay) start(t *testing.T, configure func(*relayClient)) *testClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/ws", func(w http.ResponseWriter, r *http.Request) {
		n := int(d.socketAttempts.Add(1))
		d.mu.Lock()
		broken := d.socketBroken
		d.mu.Unlock()
		if d.socket == nil || broken {
			http.Error(w, "websocket upgrade missing", http.StatusBadRequest)
			return
		}
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Errorf("accepting the websocket: %v", err)
			return
		}
		defer conn.CloseNow()
		d.socket(ctx, conn, n)
	})
	mux.HandleFunc("/api/v1/stream", func(w http.ResponseWriter, r *http.Request) {
		n := int(d.streamAttempts.Add(1))
		if d.stream == nil {
			http.Error(w, "no event stream here", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "retry: 2000\n\n")
		w.(http.Flusher).Flush()
		streamCtx, stop := context.WithCancel(r.Context())
		defer stop()
		context.AfterFunc(ctx, stop)
		d.stream(streamCtx, streamWriter{w}, n)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(cancel) // runs first, so that every handler returns before Close waits

	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/ws"
	return startClient(t, url, true, func(c *relayClient) {
		c.StreamURL = srv.URL + "/api/v1/stream"
		c.DialStream = dialTestStream
		if configure != nil {
			configure(c)
		}
	})
}

// describeTransport summarises an open or closed event with its transport.
// Batches carry no transport.
func describeTransport(ev event) string {
	return describeEvent(ev) + " " + string(ev.Transport)
}

// nextOfKind returns the next event of the given kind, skipping others.
func (tc *testClient) nextOfKind(t *testing.T, kind eventKind, timeout time.Duration) event {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ev := tc.next(t, time.Until(deadline))
		if ev.Kind == kind {
			return ev
		}
	}
}

func TestClientFallsBackToStream(t *testing.T) {
	relay := &dualRelay{stream: func(ctx context.Context, w streamWriter, n int) {
		if w.send("hello", "m1", "m2") {
			<-ctx.Done()
		}
	}}
	tc := relay.start(t, nil)

	var got []string
	var fallback event
	for range 3 {
		ev := tc.next(t, 5*time.Second)
		got = append(got, describeTransport(ev))
		if ev.Kind == eventClosed {
			fallback = ev
		}
	}
	want := []string{"closed 1 websocket", "closed 2 websocket", "open 3 stream"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events mismatch (-want +got):\n%s", diff)
	}
	if fallback.RetryIn != 0 {
		t.Errorf("delay before the first event stream attempt = %v, want 0", fallback.RetryIn)
	}

	var messages []string
	for len(messages) < 3 {
		ev := tc.next(t, 5*time.Second)
		if ev.Kind != eventMessages || ev.Conn != 3 || ev.Transport != "" {
			t.Fatalf("event = %s, want messages of connection 3", describeTransport(ev))
		}
		for _, f := range ev.Frames {
			messages = append(messages, string(f.Data))
		}
	}
	if diff := cmp.Diff([]string{"hello", "m1", "m2"}, messages); diff != "" {
		t.Errorf("stream messages mismatch (-want +got):\n%s", diff)
	}
	if n := relay.socketAttempts.Load(); n != 2 {
		t.Errorf("websocket attempts = %d, want 2", n)
	}
}

func TestClientStreamReconnectsWithBackoff(t *testing.T) {
	relay := &dualRelay{stream: func(ctx context.Context, w streamWriter, n int) {
		if n == 1 {
			w.send("one")
			return // the relay drops the stream
		}
		if w.send("two") {
			<-ctx.Done()
		}
	}}
	tc := relay.start(t, nil)

	first := tc.nextOfKind(t, eventMessages, 5*time.Second)
	if got := describeEvent(first); got != "messages 3 [one]" {
		t.Fatalf("first batch = %s, want messages 3 [one]", got)
	}
	closed := tc.next(t, 5*time.Second)
	if got := describeTransport(closed); got != "closed 3 stream" {
		t.Fatalf("event after the drop = %s, want closed 3 stream", got)
	}
	// The third consecutive failure of the test backoff (10 ms doubling
	// to at most 40 ms): a base of 40 ms, so 20 ms to 40 ms.
	if closed.RetryIn < 20*time.Millisecond || closed.RetryIn > 40*time.Millisecond {
		t.Errorf("retry after the dropped stream in %v, want between 20ms and 40ms", closed.RetryIn)
	}
	if got := describeTransport(tc.next(t, 5*time.Second)); got != "open 4 stream" {
		t.Errorf("event = %s, want open 4 stream", got)
	}
	if got := describeEvent(tc.next(t, 5*time.Second)); got != "messages 4 [two]" {
		t.Errorf("event = %s, want messages 4 [two]", got)
	}
	if n := relay.socketAttempts.Load(); n != 2 {
		t.Errorf("websocket attempts = %d, want 2: a dropped stream is retried as a stream", n)
	}
}

func TestClientStreamReconnectOnRequest(t *testing.T) {
	relay := &dualRelay{stream: func(ctx context.Context, w streamWriter, n int) {
		if w.send(fmt.Sprintf("hello %d", n)) {
			<-ctx.Done()
		}
	}}
	tc := relay.start(t, nil)
	tc.nextOfKind(t, eventMessages, 5*time.Second) // hello 1 on connection 3

	gap := errors.New("sequence gap")
	tc.Reconnect(3, gap)
	closed := tc.next(t, 5*time.Second)
	if got := describeTransport(closed); got != "closed 3 stream" {
		t.Fatalf("event after Reconnect = %s, want closed 3 stream", got)
	}
	if !errors.Is(closed.Err, gap) {
		t.Errorf("closed error = %v, want the cause given to Reconnect", closed.Err)
	}
	if got := describeTransport(tc.next(t, 5*time.Second)); got != "open 4 stream" {
		t.Errorf("event = %s, want open 4 stream", got)
	}
	if got := describeEvent(tc.next(t, 5*time.Second)); got != "messages 4 [hello 2]" {
		t.Errorf("event = %s, want messages 4 [hello 2]", got)
	}
}

func TestClientStreamSilence(t *testing.T) {
	relay := &dualRelay{stream: func(ctx context.Context, w streamWriter, n int) {
		if w.send(`{"type":"hello","time":1,"hello":{"heartbeat_ms":50}}`) {
			<-ctx.Done()
		}
	}}
	tc := relay.start(t, nil)
	tc.nextOfKind(t, eventMessages, 5*time.Second)

	start := time.Now()
	closed := tc.next(t, 5*time.Second)
	if got := describeTransport(closed); got != "closed 3 stream" {
		t.Fatalf("event = %s, want closed 3 stream", got)
	}
	if !errors.Is(closed.Err, errRelaySilent) {
		t.Errorf("closed error = %v, want errRelaySilent", closed.Err)
	}
	if waited := time.Since(start); waited > 3*time.Second {
		t.Errorf("silence noticed after %v, want about 150ms", waited)
	}
}

func TestClientRetriesSocketWhenStreamFails(t *testing.T) {
	relay := &dualRelay{} // both endpoints respond with 400
	tc := relay.start(t, nil)

	var got []string
	for range 6 {
		got = append(got, describeTransport(tc.nextOfKind(t, eventClosed, 5*time.Second)))
	}
	want := []string{
		"closed 1 websocket", "closed 2 websocket", "closed 3 stream",
		"closed 4 websocket", "closed 5 websocket", "closed 6 stream",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attempts mismatch (-want +got):\n%s", diff)
	}
}

func TestClientMovesBackToSocket(t *testing.T) {
	relay := &dualRelay{
		socket: func(ctx context.Context, conn *websocket.Conn, n int) {
			if sendText(ctx, conn, "socket hello", "socket m1") {
				holdOpen(ctx, conn)
			}
		},
		stream: func(ctx context.Context, w streamWriter, n int) {
			if !w.send("stream hello") {
				return
			}
			ticker := time.NewTicker(20 * time.Millisecond)
			defer ticker.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-ticker.C:
					if !w.send("heartbeat") {
						return
					}
				}
			}
		},
	}
	relay.setSocketBroken(true)
	var logMu sync.Mutex
	var logs []string
	tc := relay.start(t, func(c *relayClient) {
		c.ProbeInterval = 50 * time.Millisecond
		c.Logf = func(format string, args ...any) {
			logMu.Lock()
			defer logMu.Unlock()
			logs = append(logs, fmt.Sprintf(format, args...))
		}
	})

	if got := describeTransport(tc.nextOfKind(t, eventOpen, 5*time.Second)); got != "open 3 stream" {
		t.Fatalf("first open = %s, want open 3 stream", got)
	}
	// Let a few probes fail before the proxy is fixed.
	deadline := time.Now().Add(5 * time.Second)
	for relay.socketAttempts.Load() < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	relay.setSocketBroken(false)

	closed := tc.nextOfKind(t, eventClosed, 5*time.Second)
	if got := describeTransport(closed); got != "closed 3 stream" {
		t.Fatalf("event = %s, want closed 3 stream", got)
	}
	if !errors.Is(closed.Err, errSocketBack) {
		t.Errorf("closed error = %v, want errSocketBack", closed.Err)
	}
	if closed.RetryIn != 0 {
		t.Errorf("delay before the websocket = %v, want 0", closed.RetryIn)
	}
	if got := describeTransport(tc.next(t, 5*time.Second)); got != "open 4 websocket" {
		t.Fatalf("event = %s, want open 4 websocket", got)
	}
	// The probe's first message comes first, then the rest of the socket.
	var messages []string
	for len(messages) < 2 {
		ev := tc.next(t, 5*time.Second)
		if ev.Kind != eventMessages || ev.Conn != 4 {
			t.Fatalf("event = %s, want messages of connection 4", describeTransport(ev))
		}
		for _, f := range ev.Frames {
			messages = append(messages, string(f.Data))
		}
	}
	if diff := cmp.Diff([]string{"socket hello", "socket m1"}, messages); diff != "" {
		t.Errorf("websocket messages mismatch (-want +got):\n%s", diff)
	}
	if n := relay.streamAttempts.Load(); n != 1 {
		t.Errorf("event stream attempts = %d, want 1", n)
	}

	logMu.Lock()
	defer logMu.Unlock()
	if len(logs) == 0 || !strings.Contains(logs[0], "websocket probe failed") {
		t.Errorf("logs = %q, want failed websocket probes", logs)
	}
}
