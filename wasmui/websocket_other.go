//go:build !(js && wasm)

package wasmui

import (
	"context"

	"github.com/coder/websocket"
)

// readLimit is the largest websocket message accepted. coder/websocket
// v1.8.15 accepts 32 KiB by default, and the snapshot of a large site
// (2,000 representatives, 4,000 sessions) is about 4 MB.
const readLimit = 256 << 20

// socketConn is a relay connection over a websocket, for the native tests;
// the browser build uses the browser's WebSocket in websocket_js.go.
type socketConn struct{ ws *websocket.Conn }

func dialSocket(ctx context.Context, url string) (relayConn, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(readLimit)
	return socketConn{ws}, nil
}

func (c socketConn) receive(ctx context.Context) ([]byte, error) {
	_, data, err := c.ws.Read(ctx)
	return data, err
}

func (c socketConn) close() { c.ws.CloseNow() }
