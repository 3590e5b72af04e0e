package hub

import (
	"sync"

	"github.com/rtdash/rtdash/relay/metrics"
)

// Drop reasons, also the values of the browsers-dropped metric's label.
const (
	DropSlow     = metrics.DropSlow
	DropShutdown = metrics.DropShutdown
)

// Client is one browser's subscription.
type Client struct {
	send chan []byte
	done chan struct{}

	once   sync.Once
	reason string
}

// Messages returns the channel of messages to send, in order.
func (c *Client) Messages() <-chan []byte { return c.send }

// Done is closed when the hub drops the client; Reason then says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Reason returns why the client was dropped, once Done is closed.
func (c *Client) Reason() string { return c.reason }

func (c *Client) drop(reason string) {
	c.once.Do(func() {
		c.reason = reason
		close(c.done)
	})
}

// Join subscribes a browser. It returns the client and the messages to send
// before anything from Messages: the hello, the status and, once the relay
// has a model, the snapshot.
func (h *Hub) Join() (*Client, [][]byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := &Client{send: make(chan []byte, h.opts.QueueSize), done: make(chan struct{})}
	h.clients[c] = struct{}{}
	if m := h.opts.Metrics; m != nil {
		m.BrowsersConnected.Set(float64(len(h.clients)))
	}
	status := h.status
	first := [][]byte{h.hello, h.encode(statusEnvelope(&status))}
	if h.hasModel {
		first = append(first, h.snapshotLocked())
	}
	if h.csatMsg != nil {
		first = append(first, h.csatMsg)
	}
	if h.closedMsg != nil {
		first = append(first, h.closedMsg)
	}
	return c, first
}

// Leave unsubscribes a browser that disconnected by itself.
func (h *Hub) Leave(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c)
}

func (h *Hub) removeLocked(c *Client) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	if m := h.opts.Metrics; m != nil {
		m.BrowsersConnected.Set(float64(len(h.clients)))
	}
}

// dropLocked removes a client and tells it why.
func (h *Hub) dropLocked(c *Client, reason string) {
	h.removeLocked(c)
	c.drop(reason)
	if m := h.opts.Metrics; m != nil {
		m.BrowsersDropped.WithLabelValues(reason).Inc()
	}
}

// broadcast queues msg for every client without blocking.
func (h *Hub) broadcast(msg []byte) {
	for c := range h.clients {
		select {
		case c.send <- msg:
		default:
			h.log.Warn("browser dropped: it fell behind", "queue", cap(c.send))
			h.dropLocked(c, DropSlow)
		}
	}
}

// Close drops every browser.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.dropLocked(c, DropShutdown)
	}
}

// Browsers returns the number of subscribed browsers.
func (h *Hub) Browsers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}
