package wasmui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Register routes the root path to the dashboard page. Call it once, before
// app.RunWhenOnBrowser in the browser and before serving app.Handler on the
// server.
func Register() {
	app.Route("/", func() app.Composer { return &Dashboard{} })
}
