// Package assets embeds the dashboard's static files: the style sheet, the
// icons and, after a build, the WebAssembly program.
//
// Web contains the folder web/, which the relay serves below /web/. The
// files app.wasm, app.wasm.br and app.wasm.gz are build outputs: the
// Makefile writes them into web/ before it builds the relay, and git
// ignores them. Without them the package still compiles, but the page
// loads without its program.
package assets

import "embed"

// Web is the web/ folder: app.css, icon.svg, icon-192.png, icon-512.png and
// the WebAssembly build outputs when present.
//
//go:embed web
var Web embed.FS
