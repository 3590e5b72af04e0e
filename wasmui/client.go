package wasmui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rtdash/rtdash/shared/wire"
)

// Transport defaults. newRelayClient copies those that have a matching
// relayClient field into the client, so tests can shorten them.
const (
	// flushInterval is the minimum time between two batches handed to the
	// UI. A burst of diffs within it costs one board rebuild and one render.
	flushInterval = 100 * time.Millisecond

	// defaultHeartbeat is the relay's heartbeat interval assumed until its
	// hello gives one.
	// NOTE: a relay that gives no interval and sends heartbeats less often
	// than this is dropped after three of these intervals of silence.
	defaultHeartbeat = 10 * time.Second

	// stableAfter is how long a connection must stay open before its end
	// no longer counts as a consecutive failure for the backoff.
	stableAfter = 10 * time.Second

	// dialTimeout bounds the opening of one connection over either
	// transport.
	dialTimeout = 15 * time.Second

	// maxPending is how many messages may wait for a UI that has not
	// finished the previous batch. Past it the client reconnects, because a
	// fresh snapshot is cheaper than the backlog.
	maxPending = 20000
)

var (
	errRelaySilent = errors.New("no message from the relay within three heartbeat intervals")
	errFellBehind  = errors.New("the page fell behind the relay's messages")
)

// frame is one relay message and the local time it arrived.
type frame struct {
	Data     []byte
	Received time.Time
}

type eventKind int

const (
	eventOpen     eventKind = iota + 1 // a connection opened
	eventMessages                      // a batch of messages arrived
	eventClosed                        // a connection ended or failed to open
)

// event is a connection change or a batch of messages for the UI.
type event struct {
	Kind eventKind
	// Conn numbers the connection the event belongs to, from 1, and
	// Transport is the transport it uses or tried.
	Conn      uint64
	Transport Transport
	Frames    []frame
	// Err is the reason a connection ended, and RetryIn the delay before
	// the next attempt.
	Err     error
	RetryIn time.Duration

	ack chan<- struct{}
}

// Done acknowledges a batch, so the client may hand over the next one. The
// UI must call it for every eventMessages event.
func (e event) Done() {
	if e.ack == nil {
		return
	}
	select {
	case e.ack <- struct{}{}:
	default:
	}
}

// relayClient reads the relay's messages and hands them to the UI in
// batches. It connects over the websocket, or over the event stream where
// the websocket does not work (see transportChoice). Either way it
// reconnects with backoff whenever the connection closes, fails or goes
// silent, and when the UI requests a fresh snapshot.
type relayClient struct {
	SocketURL, StreamURL string
	// Deliver receives every event in order on the client's goroutine. It
	// must return quickly: the dashboard passes the event to ctx.Dispatch.
	Deliver func(event)
	// DialSocket and DialStream open a connection over each transport.
	DialSocket, DialStream dialFunc
	// Logf, when set, logs what the UI does not learn from events: failed
	// websocket probes.
	Logf func(format string, args ...any)

	Backoff          backoff
	FlushInterval    time.Duration
	DefaultHeartbeat time.Duration
	StableAfter      time.Duration
	MaxPending       int
	ProbeInterval    time.Duration
	Choice           transportChoice

	mu      sync.Mutex
	conn    uint64
	dropped context.CancelCauseFunc
}

func newRelayClient(socketURL, streamURL string, deliver func(event)) *relayClient {
	return &relayClient{
		SocketURL:        socketURL,
		StreamURL:        streamURL,
		Deliver:          deliver,
		DialSocket:       dialSocket,
		DialStream:       dialStream,
		Backoff:          defaultBackoff,
		FlushInterval:    flushInterval,
		DefaultHeartbeat: defaultHeartbeat,
		StableAfter:      stableAfter,
		MaxPending:       maxPending,
		ProbeInterval:    probeInterval,
		Choice:           transportChoice{FallbackAfter: fallbackAfter},
	}
}

// outcome is the record of one connection, from its opening to its end.
type outcome struct {
	// Opened is when the connection opened, zero if it never did.
	Opened time.Time
	// Delivered is true when at least one message arrived.
	Delivered bool
	Err       error
	// Next is a websocket that a probe opened while this connection read
	// the event stream. It replaces this connection at once.
	Next relayConn
}

// Run connects and reconnects until ctx is cancelled.
func (c *relayClient) Run(ctx context.Context) {
	failures := 0
	var next relayConn
	for {
		transport := c.Choice.Next()
		out := c.session(ctx, transport, next)
		next = out.Next
		if ctx.Err() != nil {
			if next != nil {
				next.close()
			}
			return
		}
		if !out.Opened.IsZero() && time.Since(out.Opened) >= c.StableAfter {
			failures = 0
		}

		var delay time.Duration
		if next != nil {
			c.Choice.SocketWorks()
		} else {
			failures++
			delay = c.Backoff.Delay(failures)
			c.Choice.Ended(transport, !out.Opened.IsZero(), out.Delivered)
			if transport == TransportWebSocket && c.Choice.Next() == TransportStream {
				// The websocket failed FallbackAfter times in a row, so
				// the event stream opens without a delay.
				delay = 0
			}
		}
		c.Deliver(event{Kind: eventClosed, Conn: c.current(), Transport: transport, Err: out.Err, RetryIn: delay})
		if delay == 0 {
			continue
		}

		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// Reconnect drops connection conn, if it is still the current one, and
// reconnects after the usual backoff. The UI calls it when the relay's
// messages no longer fit its model. It is safe for concurrent use.
func (c *relayClient) Reconnect(conn uint64, cause error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if conn == c.conn && c.dropped != nil {
		c.dropped(cause)
	}
}

func (c *relayClient) current() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn
}

func (c *relayClient) begin(cancel context.CancelCauseFunc) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn++
	c.dropped = cancel
	return c.conn
}

func (c *relayClient) logf(format string, args ...any) {
	if c.Logf != nil {
		c.Logf(format, args...)
	}
}

// session runs one connection over transport, or over conn when it is not
// nil, until the connection ends.
func (c *relayClient) session(ctx context.Context, transport Transport, conn relayConn) outcome {
	connCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	id := c.begin(cancel)

	if conn == nil {
		dial, url := c.DialSocket, c.SocketURL
		if transport == TransportStream {
			dial, url = c.DialStream, c.StreamURL
		}
		dialCtx, cancelDial := context.WithTimeout(connCtx, dialTimeout)
		var err error
		conn, err = dial(dialCtx, url)
		cancelDial()
		if err != nil {
			if cause := context.Cause(connCtx); cause != nil {
				return outcome{Err: cause}
			}
			return outcome{Err: err}
		}
	}
	defer conn.close()

	out := outcome{Opened: time.Now()}
	c.Deliver(event{Kind: eventOpen, Conn: id, Transport: transport})
	if transport != TransportStream {
		out.Delivered, out.Err = c.pump(connCtx, id, conn)
		return out
	}

	// While the event stream is in use, probe the websocket now and then.
	probed := make(chan relayConn, 1)
	go func() { probed <- c.probeSocket(connCtx, cancel) }()
	out.Delivered, out.Err = c.pump(connCtx, id, conn)
	cancel(out.Err)
	// A probe that succeeded as the stream ended for another reason still
	// hands over its websocket, rather than leaving it open.
	out.Next = <-probed
	return out
}

// pump reads messages and hands them to the UI in batches until the
// connection ends. It returns whether any message arrived, and why the
// connection ended.
func (c *relayClient) pump(ctx context.Context, id uint64, conn relayConn) (delivered bool, err error) {
	frames := make(chan frame)
	readErr := make(chan error, 1)
	go read(ctx, conn, frames, readErr)

	b := batcher{
		deliver:  c.Deliver,
		conn:     id,
		interval: c.FlushInterval,
		ack:      make(chan struct{}, 1),
	}
	defer b.stop()

	silence := 3 * c.DefaultHeartbeat
	watchdog := time.NewTimer(silence)
	defer watchdog.Stop()

	for {
		select {
		case <-ctx.Done():
			return delivered, context.Cause(ctx)
		case err := <-readErr:
			b.flush()
			return delivered, err
		case <-watchdog.C:
			b.flush()
			return delivered, fmt.Errorf("%w (%v)", errRelaySilent, silence)
		case f := <-frames:
			if !delivered {
				delivered = true
				if hb := helloHeartbeat(f.Data); hb > 0 {
					silence = 3 * hb
				}
			}
			watchdog.Reset(silence)
			b.pending = append(b.pending, f)
			if len(b.pending) > c.MaxPending {
				return delivered, fmt.Errorf("%w: %d messages waiting", errFellBehind, len(b.pending))
			}
			b.maybeFlush()
		case <-b.timerC:
			b.timerC = nil
			b.maybeFlush()
		case <-b.ack:
			b.inflight = false
			b.maybeFlush()
		}
	}
}

// read copies messages from the connection to frames until an error, which
// it sends to errs.
func read(ctx context.Context, conn relayConn, frames chan<- frame, errs chan<- error) {
	for {
		data, err := conn.receive(ctx)
		if err != nil {
			errs <- err
			return
		}
		select {
		case frames <- frame{Data: data, Received: time.Now()}:
		case <-ctx.Done():
			return
		}
	}
}

// helloHeartbeat returns the heartbeat interval a hello announces, or 0
// when data is not a hello or announces none.
func helloHeartbeat(data []byte) time.Duration {
	var env struct {
		Type  string `json:"type"`
		Hello *struct {
			HeartbeatMillis int64 `json:"heartbeat_ms"`
		} `json:"hello"`
	}
	if json.Unmarshal(data, &env) != nil || env.Type != wire.TypeHello || env.Hello == nil {
		return 0
	}
	return time.Duration(env.Hello.HeartbeatMillis) * time.Millisecond
}

// batcher collects frames and hands them to the UI at most once per
// interval, and only after the UI acknowledged the previous batch. A frame
// that arrives after a quiet interval goes out at once. When the connection
// ends, pump hands over the rest without waiting.
type batcher struct {
	deliver  func(event)
	conn     uint64
	interval time.Duration
	ack      chan struct{}

	pending   []frame
	inflight  bool
	lastFlush time.Time
	timer     *time.Timer
	timerC    <-chan time.Time
}

func (b *batcher) maybeFlush() {
	if len(b.pending) == 0 || b.inflight || b.timerC != nil {
		return
	}
	if wait := b.interval - time.Since(b.lastFlush); wait > 0 {
		if b.timer == nil {
			b.timer = time.NewTimer(wait)
		} else {
			b.timer.Reset(wait)
		}
		b.timerC = b.timer.C
		return
	}
	b.inflight = true
	b.flush()
}

// flush hands over every pending frame, whether or not the UI finished the
// previous batch, because the UI receives events in order either way.
func (b *batcher) flush() {
	if len(b.pending) == 0 {
		return
	}
	b.deliver(event{Kind: eventMessages, Conn: b.conn, Frames: b.pending, ack: b.ack})
	b.pending = nil
	b.lastFlush = time.Now()
}

func (b *batcher) stop() {
	if b.timer != nil {
		b.timer.Stop()
	}
}
