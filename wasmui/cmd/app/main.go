// Command app is the dashboard's WebAssembly program. Build it with
// GOOS=js GOARCH=wasm, and the relay serves the result as web/app.wasm.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/wasmui"
)

func main() {
	wasmui.Register()
	app.RunWhenOnBrowser()
}
