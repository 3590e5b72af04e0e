// Package assets embeds the dashboard's static files: the style sheet, the
// icons and, after a build, the WebAssembly program.
//
// Web holds the folder web/. The relay serves it below /web/. The files
// app.wasm, app.wasm.br and app.wasm.gz are build outputs that the Makefile
// writes into web/ before the relay is built, and git ignores them; without
// them the package still compiles, and the page loads without its program.
package assets

import "embed"

// Web is the web/ folder: app.css, icon.svg, icon-192.png, icon-512.png and
// the WebAssembly build outputs when present.
//
//go:embed web
var Web embed.FS
