//go:build js && wasm

package wasmui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
)

// eventSourceClosed is the EventSource.readyState value CLOSED. The HTML
// Standard's server-sent events processing model sets it before the error
// event when the browser gives up on a stream, and sets CONNECTING instead
// when the browser will reconnect by itself.
const eventSourceClosed = 2

var (
	errStreamRejected = errors.New("event stream rejected: an HTTP error status, a content type other than text/event-stream, or a cross-origin rejection")
	errStreamLost     = errors.New("event stream connection lost")
)

// eventSourceConn reads the relay's event stream through the browser's
// EventSource. Its callback runs on the browser's event loop, where Go code
// must not block, so it only records what happened and signals receive.
type eventSourceConn struct {
	source  js.Value
	handler js.Func
	closed  bool

	mu     sync.Mutex
	opened bool
	queue  [][]byte
	err    error
	// signal has room for one value and receives one whenever opened,
	// queue or err changes.
	signal chan struct{}
}

// dialStream opens an EventSource on url and waits until the browser opens
// the stream, fails to, or ctx ends.
func dialStream(ctx context.Context, url string) (relayConn, error) {
	c := &eventSourceConn{signal: make(chan struct{}, 1)}
	c.handler = js.FuncOf(c.handle)
	c.source = js.Global().Get("EventSource").New(url)
	// One handler for the three events keeps app.wasm smaller.
	c.source.Set("onopen", c.handler)
	c.source.Set("onmessage", c.handler)
	c.source.Set("onerror", c.handler)

	var err error
	for err == nil {
		c.mu.Lock()
		opened := c.opened
		err = c.err
		c.mu.Unlock()
		if opened {
			return c, nil
		}
		if err == nil {
			select {
			case <-c.signal:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
	}
	c.close()
	return nil, fmt.Errorf("opening %s: %w", url, err)
}

// handle records an open, message or error event of the EventSource.
func (c *eventSourceConn) handle(_ js.Value, args []js.Value) any {
	ev := args[0]
	kind := ev.Get("type").String()
	var err error
	if kind == "error" {
		err = errStreamLost
		if c.source.Get("readyState").Int() == eventSourceClosed {
			err = errStreamRejected
		}
		// After a lost connection the browser would reconnect by itself.
		// The client reconnects instead, with its backoff and a new
		// connection number, so that the UI resynchronises as it does
		// after a websocket reconnect.
		c.source.Call("close")
	}

	c.mu.Lock()
	switch {
	case kind == "open":
		c.opened = true
	case kind == "message":
		c.queue = append(c.queue, []byte(ev.Get("data").String()))
	case c.err == nil:
		c.err = err
	}
	c.mu.Unlock()
	select {
	case c.signal <- struct{}{}:
	default:
	}
	return nil
}

// receive returns the queued messages in order, then the error that ended
// the stream.
func (c *eventSourceConn) receive(ctx context.Context) ([]byte, error) {
	for {
		c.mu.Lock()
		if len(c.queue) > 0 {
			data := c.queue[0]
			c.queue[0] = nil
			c.queue = c.queue[1:]
			c.mu.Unlock()
			return data, nil
		}
		err := c.err
		c.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-c.signal:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// close closes the EventSource and releases its callback. The handlers are
// unset first, so that no event reaches a released function. The client
// calls close from one goroutine only.
func (c *eventSourceConn) close() {
	if c.closed {
		return
	}
	c.closed = true
	c.source.Call("close")
	c.source.Set("onopen", js.Null())
	c.source.Set("onmessage", js.Null())
	c.source.Set("onerror", js.Null())
	c.handler.Release()
}
