//go:build js && wasm

package wasmui

import (
	"context"
	"errors"
	"fmt"
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

// dialStream opens an EventSource on url and waits until the browser opens
// the stream, fails to, or ctx ends.
func dialStream(ctx context.Context, url string) (relayConn, error) {
	source := js.Global().Get("EventSource").New(url)
	conn, err := openBrowserConn(ctx, source, []string{"onopen", "onmessage", "onerror"},
		func(_ string, _ js.Value) error {
			err := errStreamLost
			if source.Get("readyState").Int() == eventSourceClosed {
				err = errStreamRejected
			}
			// After a lost connection the browser would reconnect by
			// itself. The client reconnects instead, with its backoff and
			// a new connection number, so that the UI resynchronises as it
			// does after a websocket reconnect.
			source.Call("close")
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	return conn, nil
}
