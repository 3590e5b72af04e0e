//go:build js && wasm

package wasmui

import (
	"context"
	"fmt"
	"syscall/js"
)

// dialSocket opens the browser's WebSocket on url and waits until it opens,
// fails, or ctx ends. Messages arrive as text.
func dialSocket(ctx context.Context, url string) (relayConn, error) {
	ws := js.Global().Get("WebSocket").New(url)
	conn, err := openBrowserConn(ctx, ws, []string{"onopen", "onmessage", "onerror", "onclose"},
		func(kind string, ev js.Value) error {
			if kind == "close" {
				reason := ev.Get("reason").String()
				if reason == "" {
					return fmt.Errorf("websocket closed with code %d", ev.Get("code").Int())
				}
				return fmt.Errorf("websocket closed with code %d: %s", ev.Get("code").Int(), reason)
			}
			// A close event follows every error event with the code.
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	return conn, nil
}
