//go:build !(js && wasm)

package wasmui

import (
	"context"
	"errors"
)

// dialStream is the native placeholder for the EventSource client of
// eventsource_js.go, and always fails. Native tests set
// relayClient.DialStream to a net/http reader instead.
func dialStream(ctx context.Context, url string) (relayConn, error) {
	return nil, errors.New("opening " + url + ": the event stream client needs a browser's EventSource")
}
