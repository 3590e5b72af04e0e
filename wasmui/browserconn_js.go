//go:build js && wasm

package wasmui

import (
	"context"
	"sync"
	"syscall/js"
)

// browserConn reads the relay's messages through a browser object that
// delivers them as events: an EventSource or a WebSocket. Using the
// browser's own objects keeps a websocket library and net/http out of
// app.wasm. The callback runs on the browser's event loop, where Go code
// must not block, so it only records what happened and signals receive.
type browserConn struct {
	target  js.Value
	events  []string // the handler properties set, such as "onmessage"
	handler js.Func
	// failure turns an error or close event into the error that ends the
	// connection, or nil to ignore the event.
	failure func(kind string, ev js.Value) error
	closed  bool

	mu     sync.Mutex
	opened bool
	queue  [][]byte
	err    error
	// signal has room for one value and receives one whenever opened,
	// queue or err changes.
	signal chan struct{}
}

// openBrowserConn listens to target's events and waits until the
// connection opens, fails, or ctx ends. One handler serves every event,
// which keeps app.wasm smaller.
func openBrowserConn(ctx context.Context, target js.Value, events []string, failure func(string, js.Value) error) (*browserConn, error) {
	c := &browserConn{target: target, events: events, failure: failure, signal: make(chan struct{}, 1)}
	c.handler = js.FuncOf(c.handle)
	for _, name := range events {
		target.Set(name, c.handler)
	}
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
	return nil, err
}

// handle records an open, message, error or close event.
func (c *browserConn) handle(_ js.Value, args []js.Value) any {
	ev := args[0]
	kind := ev.Get("type").String()
	var err error
	if kind != "open" && kind != "message" {
		err = c.failure(kind, ev)
		if err == nil {
			return nil
		}
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
// the connection.
func (c *browserConn) receive(ctx context.Context) ([]byte, error) {
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

// close closes the connection and releases the callback. The handlers are
// unset first, so that no event reaches a released function. The client
// calls close from one goroutine only.
func (c *browserConn) close() {
	if c.closed {
		return
	}
	c.closed = true
	for _, name := range c.events {
		c.target.Set(name, js.Null())
	}
	c.target.Call("close")
	c.handler.Release()
}
