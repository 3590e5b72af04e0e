package wasmui

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Transport is the channel that carries the relay's messages to the page.
// Its values are the data-transport attribute of #transport.
type Transport string

// Transports. Both carry the same envelopes, one per websocket text
// message or one per server-sent event.
const (
	TransportWebSocket Transport = "websocket" // {base}/api/v1/ws
	TransportStream    Transport = "stream"    // server-sent events at {base}/api/v1/stream
)

// Transport choice defaults, copied into the client by newRelayClient.
const (
	// fallbackAfter is how many websocket connections in a row must end
	// without a message before the client opens the event stream instead.
	fallbackAfter = 2

	// probeInterval is how often the client tries the websocket again while
	// it reads the event stream, so that a proxy fixed later is used again.
	probeInterval = 5 * time.Minute
)

// errSocketBack ends an event stream connection when a websocket probe
// received a message, so the client moves to that websocket.
var errSocketBack = errors.New("websocket probe succeeded, so the client moves from the event stream to the websocket")

// transportText returns the words the header shows for a transport.
func transportText(t Transport) string {
	if t == TransportStream {
		return "HTTP stream (fallback)"
	}
	return "WebSocket"
}

// socketURL returns the relay's websocket address for a page served at
// page, below the given go-app root prefix ("/" or "/dash/").
func socketURL(page *url.URL, rootPrefix string) string {
	u := url.URL{Scheme: "ws", Host: page.Host}
	if page.Scheme == "https" {
		u.Scheme = "wss"
	}
	u.Path = strings.TrimSuffix(rootPrefix, "/") + "/api/v1/ws"
	return u.String()
}

// streamPath returns the path of the relay's event stream below the given
// go-app root prefix. EventSource resolves it against the page's address,
// so the stream has the page's scheme, host and port.
func streamPath(rootPrefix string) string {
	return strings.TrimSuffix(rootPrefix, "/") + "/api/v1/stream"
}

// transportChoice picks the transport of each connection. It starts with
// the websocket and moves to the event stream after FallbackAfter websocket
// connections in a row ended without a message: the usual sign of a proxy
// that does not pass websockets. It moves back when a websocket probe
// receives a message, and when the event stream fails to open too, because
// then the relay or the network is down rather than the proxy's websocket
// support. A page load starts with the websocket again.
type transportChoice struct {
	FallbackAfter int

	current Transport
	// failures counts the websocket connections in a row that ended
	// without a message.
	failures int
}

// Next returns the transport of the next connection.
func (c *transportChoice) Next() Transport {
	if c.current == "" {
		return TransportWebSocket
	}
	return c.current
}

// Ended records how a connection over t ended: opened is true when it
// opened, and delivered when at least one message arrived over it.
func (c *transportChoice) Ended(t Transport, opened, delivered bool) {
	switch {
	case t == TransportWebSocket && delivered:
		c.failures = 0
	case t == TransportWebSocket:
		c.failures++
		if c.failures >= c.FallbackAfter {
			c.current = TransportStream
			c.failures = 0
		}
	case !opened:
		c.current = TransportWebSocket
	}
}

// SocketWorks records a websocket probe that received a message.
func (c *transportChoice) SocketWorks() {
	c.current = TransportWebSocket
	c.failures = 0
}

// relayConn is one open connection to the relay over either transport.
// Its methods are unexported because the linker keeps the method of every
// reachable type whose name and signature match a method called through an
// interface. An exported Close kept reflect.Value.Close in app.wasm.
type relayConn interface {
	// receive returns the next message, or the error that ended the
	// connection. Cancelling ctx ends the call, and may end the connection.
	receive(ctx context.Context) ([]byte, error)
	// close ends the connection. It may be called more than once.
	close()
}

// dialFunc opens a connection to the relay at url. ctx bounds the opening
// only, not the life of the connection.
type dialFunc func(ctx context.Context, url string) (relayConn, error)

// primedConn is a connection whose first message was read already, by
// the websocket probe. receive returns that message first.
type primedConn struct {
	relayConn
	first []byte
}

func (c *primedConn) receive(ctx context.Context) ([]byte, error) {
	if first := c.first; first != nil {
		c.first = nil
		return first, nil
	}
	return c.relayConn.receive(ctx)
}

// probeSocket tries the websocket every ProbeInterval until ctx ends or a
// probe receives a message. It then calls moveTo, which ends the event
// stream connection, and returns the websocket with that message. It
// returns nil when ctx ends first.
func (c *relayClient) probeSocket(ctx context.Context, moveTo context.CancelCauseFunc) relayConn {
	timer := time.NewTimer(c.ProbeInterval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		}
		conn, err := c.probeOnce(ctx)
		if err == nil {
			moveTo(errSocketBack)
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		c.logf("websocket probe failed, staying on the event stream: %v", err)
		timer.Reset(c.ProbeInterval)
	}
}

// probeOnce opens the websocket and waits for its first message, within
// dialTimeout in all.
func (c *relayClient) probeOnce(ctx context.Context) (relayConn, error) {
	probeCtx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := c.DialSocket(probeCtx, c.SocketURL)
	if err != nil {
		return nil, err
	}
	first, err := conn.receive(probeCtx)
	if err != nil {
		conn.close()
		return nil, err
	}
	return &primedConn{relayConn: conn, first: first}, nil
}
